using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Tests.Cards;

/// <summary>Every suggestion's resource is valid FHIR R4 JSON that the project's FHIR layer round-trips.</summary>
public class SuggestionTests
{
    private static CdsResponse Render(PatientHistory history, DateOnly today) =>
        new CardRenderer(new RandomCardIds()).Render(CmlEvaluator.Evaluate(history, new EvaluationSettings(), today), new CardContext("p-7"));

    private static PatientHistory OnImatinib(params BcrAbl1Result[] results) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2024, 12, 1), Phase.Chronic)],
        TkiOrders = [new TkiOrder("MedicationRequest/m", Tki.Imatinib, new DateOnly(2025, 1, 1), null, false)],
        Results = results,
        BcrAbl1ResultsSeen = results.Length,
    };

    /// <summary>Imatinib 2018 → stopped 2026-01-20 in MR4.5 (a TFR attempt), with the given results after the stop.</summary>
    private static PatientHistory InTfr(params BcrAbl1Result[] after) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2017, 12, 1), Phase.Chronic)],
        TkiOrders = [new TkiOrder("MedicationRequest/m", Tki.Imatinib, new DateOnly(2018, 1, 1), new DateOnly(2026, 1, 20), true, true)],
        Results = [new BcrAbl1Result("Observation/pre", new DateOnly(2026, 1, 10), 0.003m), .. after],
        BcrAbl1ResultsSeen = 1 + after.Length,
    };

    public static TheoryData<string> Cases() => ["mutation-analysis", "monitoring-overdue", "tfr-monitoring", "tfr-molecular-relapse"];

    private static CdsResponse Scenario(string topic) => topic switch
    {
        "mutation-analysis" => Render(OnImatinib(new BcrAbl1Result("Observation/r1", new DateOnly(2026, 1, 1), 3.2m)), new DateOnly(2026, 1, 5)),
        "monitoring-overdue" => Render(OnImatinib(new BcrAbl1Result("Observation/r1", new DateOnly(2025, 4, 1), 5m)), new DateOnly(2025, 9, 1)),
        "tfr-monitoring" => Render(InTfr(new BcrAbl1Result("Observation/a1", new DateOnly(2026, 2, 20), 0.004m)), new DateOnly(2026, 3, 1)),
        _ => Render(InTfr(new BcrAbl1Result("Observation/a1", new DateOnly(2026, 2, 20), 0.15m)), new DateOnly(2026, 3, 1)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Req93_117_118_127_130_131_suggested_resource_round_trips(string topic)
    {
        var response = Scenario(topic);
        var card = Assert.Single(response.Cards, c => c.Source.Topic!.Code == topic);
        Assert.Equal(SelectionBehavior.AtMostOne, card.SelectionBehavior);
        var suggestion = Assert.Single(card.Suggestions!);
        Assert.True(Guid.TryParse(suggestion.Uuid, out _));
        var action = Assert.Single(suggestion.Actions!);
        Assert.Equal(ActionType.Create, action.Type);

        // As the EHR receives it: the card JSON, then the resource read back by the FHIR layer.
        var cardJson = JsonNode.Parse(JsonSerializer.Serialize(response, CdsHooksJson.Response))!["cards"]!.AsArray()
            .First(c => (string?)c!["source"]!["topic"]!["code"] == topic)!;
        var resourceJson = cardJson["suggestions"]![0]!["actions"]![0]!["resource"]!.ToJsonString();
        var resource = FhirJson.Parse(resourceJson);
        Assert.Empty(resource.AllIssues());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(resourceJson), JsonNode.Parse(FhirJson.Serialize(resource))));
        if (resource is MedicationRequest resume)
        {
            Assert.Equal("tfr-molecular-relapse", topic);
            Assert.Equal(("draft", "proposal", "Patient/p-7"), (resume.Status, resume.Intent, resume.Subject!.ReferenceValue));
            Assert.Equal("L01EA01", resume.MedicationCodeableConcept!.Coding![0].Code);
            return;
        }
        var parsed = Assert.IsType<ServiceRequest>(resource);
        Assert.Equal(("draft", "proposal", "Patient/p-7"), (parsed.Status, parsed.Intent, parsed.Subject!.ReferenceValue));
        Assert.Equal(topic == "mutation-analysis" ? "55135-8" : "69380-4", parsed.Code!.Coding![0].Code);
        if (topic == "mutation-analysis") Assert.Equal("Observation/r1", parsed.ReasonReference![0].ReferenceValue);
    }

    [Fact]
    public void Req99_100_warning_and_critical_cards_carry_override_reasons_info_cards_do_not()
    {
        var response = Render(OnImatinib(new BcrAbl1Result("Observation/r1", new DateOnly(2026, 1, 1), 3.2m)), new DateOnly(2026, 1, 5));
        Assert.All(response.Cards, c =>
        {
            if (c.Indicator == Indicator.Info) Assert.Null(c.OverrideReasons);
            else Assert.All(c.OverrideReasons!, r => Assert.False(string.IsNullOrWhiteSpace(r.Display)));
        });
        Assert.Contains(response.Cards, c => c.Indicator != Indicator.Info);
    }

    [Fact]
    public void Cards_are_ordered_critical_warning_info_one_per_topic()
    {
        var response = Render(OnImatinib(new BcrAbl1Result("Observation/r1", new DateOnly(2026, 1, 1), 3.2m)), new DateOnly(2026, 6, 1));
        Assert.Equal(response.Cards.OrderByDescending(c => c.Indicator).Select(c => c.Uuid), response.Cards.Select(c => c.Uuid));
        Assert.Equal(response.Cards.Count, response.Cards.Select(c => c.Source.Topic!.Code).Distinct().Count());
        Assert.Equal(Indicator.Critical, response.Cards[0].Indicator);
    }
}
