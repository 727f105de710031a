using System.Text.Json.Nodes;

namespace CmlCds.Benchmarks;

/// <summary>
/// Realistic patient-view requests with full prefetch, in three sizes:
/// small (1 year, 5 BCR::ABL1 results), typical (10 years quarterly: 40 results, 6 TKI orders, 2 conditions, 1 mutation
/// result, 24 monthly dispenses of the current TKI and 4 other medications), large (20 years monthly: 240 results,
/// 60 dispenses, 8 other medications). The other medications include one the interaction table names (omeprazole with
/// dasatinib) and ones it does not know (not checked), so the interaction check does its whole work.
/// </summary>
public static class RequestGenerator
{
    public static readonly string[] Sizes = ["small", "typical", "large"];

    public static JsonObject Create(string size, DateOnly today) => size switch
    {
        "small" => Build("bench-small", today, years: 1, results: 5, orders: 2, conditions: 1, mutations: 0, dispenses: 0, others: 0),
        "typical" => Build("bench-typical", today, years: 10, results: 40, orders: 6, conditions: 2, mutations: 1, dispenses: 24, others: 4),
        "large" => Build("bench-large", today, years: 20, results: 240, orders: 6, conditions: 2, mutations: 1, dispenses: 60, others: 8),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    /// <summary>Other medications of a typical CML clinic patient: (text, ATC code or null).</summary>
    private static readonly (string Text, string? Atc)[] OtherDrugs =
    [
        ("omeprazole 20 mg capsule", "A02BC01"), ("amlodipine 5 mg tablet", "C08CA01"), ("metformin 500 mg tablet", null), ("atorvastatin 20 mg tablet", null),
        ("ramipril 5 mg capsule", "C09AA05"), ("levothyroxine 50 microgram tablet", null), ("allopurinol 100 mg tablet", "M04AA01"), ("paracetamol 500 mg tablet", null),
    ];

    private static JsonObject Build(string patientId, DateOnly today, int years, int results, int orders, int conditions, int mutations, int dispenses, int others)
    {
        var start = today.AddYears(-years);
        var step = (today.DayNumber - start.DayNumber) / results;
        var observations = new JsonArray();
        for (var i = 0; i < results; i++)
        {
            var date = start.AddDays(step * (i + 1));
            // A response that deepens over the years: 30% down to 0.003%, with lab-style values.
            var percent = Math.Round(30m * (decimal)Math.Pow(0.7, i * 40.0 / results), 4);
            observations.Add(Entry(new JsonObject
            {
                ["resourceType"] = "Observation", ["id"] = $"{patientId}-bcr-{i}", ["status"] = "final",
                ["category"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category", ["code"] = "laboratory" }) }),
                ["code"] = Coding("http://loinc.org", "69380-4", "BCR-ABL1 p210 fusion transcript/control transcript (IS)"),
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                ["effectiveDateTime"] = $"{date:yyyy-MM-dd}T09:30:00+01:00",
                ["issued"] = $"{date.AddDays(2):yyyy-MM-dd}T08:00:00+01:00",
                ["valueQuantity"] = new JsonObject { ["value"] = Math.Max(percent, 0.003m), ["unit"] = "%", ["system"] = "http://unitsofmeasure.org", ["code"] = "%" },
                ["component"] = new JsonArray(new JsonObject
                {
                    ["code"] = Coding("http://cmlcds.org/fhir/CodeSystem/observation-component", "abl1-copies", null),
                    ["valueQuantity"] = new JsonObject { ["value"] = 45_000 + i, ["unit"] = "copies" },
                }),
            }));
        }
        string[] drugs = ["L01EA01", "L01EA01", "L01EA01", "L01EA02", "L01EA02", "L01EA02"];
        var medications = new JsonArray();
        var orderStep = (today.DayNumber - start.DayNumber) / orders;
        for (var i = 0; i < orders; i++)
        {
            var from = start.AddDays(orderStep * i);
            var last = i == orders - 1;
            medications.Add(Entry(new JsonObject
            {
                ["resourceType"] = "MedicationRequest", ["id"] = $"{patientId}-tki-{i}", ["status"] = last ? "active" : "completed", ["intent"] = "order",
                ["medicationCodeableConcept"] = Coding("http://www.whocc.no/atc", drugs[i % drugs.Length], null),
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                ["authoredOn"] = $"{from:yyyy-MM-dd}",
                ["dosageInstruction"] = new JsonArray(new JsonObject
                {
                    ["text"] = "once daily",
                    ["timing"] = new JsonObject { ["repeat"] = new JsonObject { ["boundsPeriod"] = last
                        ? new JsonObject { ["start"] = $"{from:yyyy-MM-dd}" }
                        : new JsonObject { ["start"] = $"{from:yyyy-MM-dd}", ["end"] = $"{from.AddDays(orderStep):yyyy-MM-dd}" }, ["frequency"] = 1, ["period"] = 1, ["periodUnit"] = "d" } },
                    ["doseAndRate"] = new JsonArray(new JsonObject { ["doseQuantity"] = new JsonObject { ["value"] = 100, ["unit"] = "mg", ["system"] = "http://unitsofmeasure.org", ["code"] = "mg" } }),
                }),
            }));
        }
        for (var i = 0; i < others; i++)
        {
            var (text, atc) = OtherDrugs[i % OtherDrugs.Length];
            var concept = atc is null ? new JsonObject { ["text"] = text } : Coding("http://www.whocc.no/atc", atc, null);
            concept["text"] = text;
            medications.Add(Entry(new JsonObject
            {
                ["resourceType"] = "MedicationRequest", ["id"] = $"{patientId}-med-{i}", ["status"] = "active", ["intent"] = "order",
                ["medicationCodeableConcept"] = concept,
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                ["authoredOn"] = $"{start.AddDays(90 * i):yyyy-MM-dd}",
                ["dosageInstruction"] = new JsonArray(new JsonObject { ["text"] = "once daily" }),
            }));
        }
        // Monthly dispenses of the current TKI (the last order's), back from today; one late refill leaves a gap.
        var current = drugs[(orders - 1) % drugs.Length];
        var dispenseEntries = new JsonArray();
        for (var i = 0; i < dispenses; i++)
        {
            var handed = today.AddDays(-30 * (dispenses - i) - (i == dispenses / 2 ? 0 : 5));
            dispenseEntries.Add(Entry(new JsonObject
            {
                ["resourceType"] = "MedicationDispense", ["id"] = $"{patientId}-dispense-{i}", ["status"] = "completed",
                ["medicationCodeableConcept"] = Coding("http://www.whocc.no/atc", current, null),
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                ["authorizingPrescription"] = new JsonArray(new JsonObject { ["reference"] = $"MedicationRequest/{patientId}-tki-{orders - 1}" }),
                ["quantity"] = new JsonObject { ["value"] = 30, ["unit"] = "tablet" },
                ["daysSupply"] = new JsonObject { ["value"] = 30, ["unit"] = "days", ["system"] = "http://unitsofmeasure.org", ["code"] = "d" },
                ["whenHandedOver"] = $"{handed:yyyy-MM-dd}T10:15:00+01:00",
            }));
        }
        var conditionEntries = new JsonArray();
        for (var i = 0; i < conditions; i++)
            conditionEntries.Add(Entry(new JsonObject
            {
                ["resourceType"] = "Condition", ["id"] = $"{patientId}-dx-{i}",
                ["code"] = i == 0 ? Coding("http://snomed.info/sct", "92818009", "Chronic myeloid leukemia") : Coding("http://snomed.info/sct", "38341003", "Hypertensive disorder"),
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                ["onsetDateTime"] = $"{start.AddDays(-20):yyyy-MM-dd}",
                ["stage"] = new JsonArray(new JsonObject { ["summary"] = new JsonObject { ["text"] = "Chronic phase" } }),
            }));
        var mutationEntries = new JsonArray();
        for (var i = 0; i < mutations; i++)
            mutationEntries.Add(Entry(new JsonObject
            {
                ["resourceType"] = "Observation", ["id"] = $"{patientId}-kd-{i}", ["status"] = "final",
                ["code"] = Coding("http://loinc.org", "55135-8", null),
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                ["effectiveDateTime"] = $"{start.AddYears(3):yyyy-MM-dd}", ["valueString"] = "No mutation detected",
            }));

        return new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(), ["hook"] = "patient-view",
            ["context"] = new JsonObject { ["userId"] = "Practitioner/hem-1", ["patientId"] = patientId },
            ["prefetch"] = new JsonObject
            {
                ["patient"] = new JsonObject { ["resourceType"] = "Patient", ["id"] = patientId, ["birthDate"] = "1965-03-02", ["gender"] = "male" },
                ["bcrAbl1"] = Bundle(observations),
                ["mutations"] = Bundle(mutationEntries),
                ["medicationRequests"] = Bundle(medications),
                ["medicationStatements"] = null,
                ["conditions"] = Bundle(conditionEntries),
                ["serviceRequests"] = null,
                ["pregnancy"] = null,
                ["medicationDispenses"] = dispenses == 0 ? null : Bundle(dispenseEntries),
            },
        };
    }

    private static JsonObject Coding(string system, string code, string? display)
    {
        var coding = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null) coding["display"] = display;
        return new JsonObject { ["coding"] = new JsonArray(coding) };
    }

    private static JsonObject Entry(JsonObject resource) => new()
    {
        ["fullUrl"] = $"https://ehr.example.org/fhir/{resource["resourceType"]}/{resource["id"]}",
        ["resource"] = resource,
        ["search"] = new JsonObject { ["mode"] = "match" },
    };

    private static JsonObject Bundle(JsonArray entries) => new()
    {
        ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = entries.Count, ["entry"] = entries,
    };
}
