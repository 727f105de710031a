using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Cli;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Fhir.Json;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Cli.Tests;

/// <summary>
/// samples/ holds one transaction Bundle per cds-hooks/ scenario; evaluating a sample offline gives exactly that
/// scenario's golden response.
/// </summary>
public class SampleTests
{
    public static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CmlCds.sln"))) return dir.FullName;
        throw new InvalidOperationException("CmlCds.sln not found");
    }

    public static TheoryData<string> Scenarios() => new(Directory.GetDirectories(Path.Combine(Root, "cds-hooks"))
        .Where(d => File.Exists(Path.Combine(d, "request.json"))).Select(Path.GetFileName).Order()!);

    private sealed class SequentialIds : ICardIds
    {
        private int _next;
        public string NewUuid() => $"00000000-0000-4000-8000-{++_next:D12}";
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Each_scenario_has_its_sample_bundle(string scenario)
    {
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "cds-hooks", scenario, "request.json")))!.AsObject();
        var expected = SampleBundles.FromHookRequest(request);
        var path = Path.Combine(Root, "samples", $"{scenario}.json");
        if (Environment.GetEnvironmentVariable("CMLCDS_UPDATE_GOLDEN") == "1")
            File.WriteAllText(path, expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Assert.True(File.Exists(path), $"samples/{scenario}.json is missing (CMLCDS_UPDATE_GOLDEN=1 writes it)");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(File.ReadAllText(path))), $"samples/{scenario}.json differs from its scenario");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_resource_of_each_sample_passes_the_validator(string scenario)
    {
        var resources = Offline.Resources(Offline.Read(Path.Combine(Root, "samples", $"{scenario}.json")));
        // The project's own validator, as the service applies it (Firely's: CmlCds.Conformance.Tests, and `validate`).
        var medications = PatientHistoryMapper.Medications(resources);
        var results = resources.Select(r => (Resource: r.LocalReference, Profile: CmlProfiles.ProfileFor(r, medications), Item: r))
            .Where(r => r.Profile is not null).Select(r => (r.Resource, Violations: CmlProfiles.Package.Validate(r.Item, r.Profile!))).ToList();
        Assert.All(results, r => Assert.True(r.Violations.Count == 0, $"{r.Resource}: {string.Join("; ", r.Violations)}"));
        // Every resource the rules read is checked under a profile; only the patient, test orders, non-IS ratios
        // (set aside as such), pregnancy records, other diagnoses and medications that are not TKIs (read for
        // interactions by code and name only) are not.
        var profiled = results.Select(r => r.Resource).ToHashSet();
        Assert.All(resources.Where(r => !ReadUnderNoProfile(r)), r => Assert.Contains(r.LocalReference, profiled));
    }

    private static bool ReadUnderNoProfile(Fhir.Model.Resource r) => r switch
    {
        Fhir.Model.Patient or Fhir.Model.ServiceRequest => true,
        Fhir.Model.Observation o => (Codes.AnyIn(o.Code, Codes.BcrAbl1NonIs) && !Codes.AnyIn(o.Code, Codes.BcrAbl1Is)) || Codes.AnyIn(o.Code, Codes.PregnancyCodes),
        Fhir.Model.Condition c => !Codes.AnyIn(c.Code, Codes.CmlDiagnosis),
        Fhir.Model.MedicationRequest or Fhir.Model.MedicationStatement => CmlProfiles.ProfileFor(r) is null,
        _ => false,
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Evaluating_a_sample_offline_gives_the_golden_response(string scenario)
    {
        var settingsPath = Path.Combine(Root, "cds-hooks", scenario, "settings.json");
        var guideline = File.Exists(settingsPath) && File.ReadAllText(settingsPath).Contains("Nccn", StringComparison.Ordinal) ? Guideline.Nccn : Guideline.Eln2020;
        var resources = Offline.Resources(Offline.Read(Path.Combine(Root, "samples", $"{scenario}.json")));
        var response = Offline.Evaluate(resources, SampleBundles.ReferenceDate, new EvaluationSettings { Guideline = guideline }, new SequentialIds());
        var actual = JsonNode.Parse(JsonSerializer.Serialize(response, CdsHooksJson.Response));
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "cds-hooks", scenario, "response.json")));
        Assert.True(JsonNode.DeepEquals(golden, actual), $"{scenario}: offline cards differ from response.json\n{actual}");
    }

    [Fact]
    public void Shifting_moves_dates_and_date_times_and_keeps_times_and_zones()
    {
        var json = JsonNode.Parse("""{"birthDate":"1968-04-12","effectiveDateTime":"2026-05-20T09:30:00+01:00","code":"2026-05-20x","valueQuantity":{"value":0.5}}""")!;
        var shifted = SampleBundles.ShiftDates(json, 10);
        Assert.Equal("1968-04-22", (string?)shifted["birthDate"]);
        Assert.Equal("2026-05-30T09:30:00+01:00", (string?)shifted["effectiveDateTime"]);
        Assert.Equal("2026-05-20x", (string?)shifted["code"]);
        Assert.Equal(0.5m, (decimal)shifted["valueQuantity"]!["value"]!);
    }

    [Fact]
    public void Shifted_samples_give_the_same_cards_on_the_shifted_day()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "samples", "eln-12m-failure.json")))!;
        var shifted = FhirJson.Parse(SampleBundles.ShiftDates(sample, 173).ToJsonString());
        var cards = Offline.Evaluate(Offline.Resources(shifted), SampleBundles.ReferenceDate.AddDays(173), new EvaluationSettings(), new SequentialIds()).Cards;
        Assert.Equal(["response-failure", "therapy-review", "mutation-analysis"], cards.Select(c => c.Source.Topic!.Code));
    }

    [Fact]
    public void A_bundle_with_two_patients_is_refused()
    {
        var two = FhirJson.Parse("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Patient","id":"b"}}]}""");
        Assert.Throws<CliException>(() => Offline.Evaluate(Offline.Resources(two), SampleBundles.ReferenceDate, new EvaluationSettings(), new SequentialIds()));
    }
}
