using System.Text.Json.Nodes;

namespace CmlCds.Benchmarks;

/// <summary>
/// Realistic patient-view requests with full prefetch, in three sizes:
/// small (1 year, 5 BCR::ABL1 results), typical (10 years quarterly: 40 results, 6 TKI orders, 2 conditions, 1 mutation
/// result), large (20 years monthly: 240 results).
/// </summary>
public static class RequestGenerator
{
    public static readonly string[] Sizes = ["small", "typical", "large"];

    public static JsonObject Create(string size, DateOnly today) => size switch
    {
        "small" => Build("bench-small", today, years: 1, results: 5, orders: 2, conditions: 1, mutations: 0),
        "typical" => Build("bench-typical", today, years: 10, results: 40, orders: 6, conditions: 2, mutations: 1),
        "large" => Build("bench-large", today, years: 20, results: 240, orders: 6, conditions: 2, mutations: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    private static JsonObject Build(string patientId, DateOnly today, int years, int results, int orders, int conditions, int mutations)
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
                        : new JsonObject { ["start"] = $"{from:yyyy-MM-dd}", ["end"] = $"{from.AddDays(orderStep):yyyy-MM-dd}" } } },
                }),
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
