using System.Text.Json.Nodes;
using CmlCds.Conformance;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Tests.Conformance;
using CmlCds.Hooks.Mapping;
using static CmlCds.Conformance.ServiceProfiles;

namespace CmlCds.Conformance.Tests;

/// <summary>
/// The conformance suite: every example of fhir-profiles/, every sample bundle, every prefetch resource of the
/// cds-hooks/ scenarios and every resource the service suggests in their responses passes Firely's validator (core
/// R4, the profiles it claims and the CML CDS profile the service reads it under) with no error. Agreement on valid
/// data: the project's own validator finds nothing in them either.
/// </summary>
[Collection(FirelyCollection.Name)]
public class ConformanceSuiteTests(FirelyFixtureHandle handle)
{
    private readonly FirelyFixture _f = handle.Fixture;

    /// <summary>(what, file): the suite, one row per file, so a failure names the file.</summary>
    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in ProfileFiles.Examples()) data.Add("example", Relative(f));
        foreach (var f in Directory.GetFiles(Path.Combine(FirelyFixture.Root, "samples"), "*.json").Order(StringComparer.Ordinal)) data.Add("sample", Relative(f));
        foreach (var d in Directory.GetDirectories(Path.Combine(FirelyFixture.Root, "cds-hooks")).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(d, "request.json"))) data.Add("prefetch", Relative(Path.Combine(d, "request.json")));
            if (File.Exists(Path.Combine(d, "response.json"))) data.Add("suggestions", Relative(Path.Combine(d, "response.json")));
        }
        return data;
    }

    private static string Relative(string path) => Path.GetRelativePath(FirelyFixture.Root, path);

    [Theory]
    [MemberData(nameof(Files))]
    public void Passes_Firely_with_no_error_and_the_project_validator_with_no_violation(string what, string file)
    {
        var (resources, context) = Resources(what, file);
        if (what == "suggestions" && resources.Count == 0) return; // a response that suggests nothing (non-CML patient, TFR monitoring...)
        Assert.NotEmpty(resources);

        var checks = ServiceProfiles.Check(_f.Validator, resources.Concat(context));
        var ofFile = checks.Take(Count(resources)).ToList();
        var errors = ofFile.SelectMany(c => c.Issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => $"{c.Resource}: {i.Location}: {i.Message}")).ToList();
        Assert.True(errors.Count == 0, $"{file}: Firely reports\n{string.Join("\n", errors)}");

        var ours = resources.SelectMany(j => Flatten(FhirJson.Parse(j))).ToList();
        var medications = PatientHistoryMapper.Medications(ours.Concat(context.SelectMany(j => Flatten(FhirJson.Parse(j)))).ToList());
        var violations = ours.SelectMany(r => CmlProfiles.ProfileFor(r, medications) is { } p
            ? CmlProfiles.Package.Validate(r, p).Select(v => $"{r.LocalReference}: {v}") : []).ToList();
        Assert.True(violations.Count == 0, $"{file}: the project's validator reports\n{string.Join("\n", violations)}");
    }

    [Fact]
    public void The_suite_covers_every_kind_of_file_and_the_profiles()
    {
        var files = Files().Select(row => ((string)row[0], (string)row[1])).ToList();
        foreach (var what in new[] { "example", "sample", "prefetch", "suggestions" })
            Assert.True(files.Count(f => f.Item1 == what) >= 5, $"fewer than 5 {what} files");
        var suggested = files.Where(f => f.Item1 == "suggestions").SelectMany(f => Resources(f.Item1, f.Item2).Resources).Select(j => (string?)JsonNode.Parse(j)!["resourceType"]).ToHashSet();
        Assert.Contains("ServiceRequest", suggested);
        Assert.Contains("MedicationRequest", suggested);
        // Every CML CDS profile is exercised by at least one example or sample resource.
        var profiles = files.Where(f => f.Item1 is "example" or "sample").SelectMany(f => ServiceProfiles.Check(_f.Validator, [File.ReadAllText(Path.Combine(FirelyFixture.Root, f.Item2))]))
            .Select(c => c.Profile).OfType<string>().ToHashSet();
        Assert.Equal(_f.Package.Profiles.Keys.Order(), profiles.Order());
    }

    /// <summary>The resources a file contributes (JSON, each a resource or Bundle) and the ones its references may point at.</summary>
    private static (List<string> Resources, List<string> Context) Resources(string what, string file)
    {
        var json = File.ReadAllText(Path.Combine(FirelyFixture.Root, file));
        switch (what)
        {
            case "prefetch":
                return (Prefetch(JsonNode.Parse(json)!), []);
            case "suggestions":
                var request = JsonNode.Parse(File.ReadAllText(Path.Combine(FirelyFixture.Root, Path.GetDirectoryName(file)!, "request.json")))!;
                var suggested = JsonNode.Parse(json)!["cards"]!.AsArray()
                    .SelectMany(c => c!["suggestions"]?.AsArray() ?? [])
                    .SelectMany(s => s!["actions"]?.AsArray() ?? [])
                    .Select(a => a!["resource"]).OfType<JsonObject>().Select(r => r.ToJsonString()).ToList();
                return (suggested, Prefetch(request));
            default:
                return ([json], []);
        }
    }

    private static List<string> Prefetch(JsonNode request) =>
        request["prefetch"]!.AsObject().Select(p => p.Value).OfType<JsonObject>().Select(v => v.ToJsonString()).ToList();

    private static int Count(List<string> resources) => resources.Sum(j => Flatten(FhirJson.Parse(j)).Count());
}
