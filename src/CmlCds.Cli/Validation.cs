using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Conformance;
using CmlCds.Hooks.Mapping;
using FhirResource = Hl7.Fhir.Model.Resource;
using Resource = CmlCds.Fhir.Model.Resource;

namespace CmlCds.Cli;

/// <summary>
/// `cmlcds validate`: Firely's validator (core FHIR R4: cardinality, types, required elements, core value sets,
/// FHIRPath invariants) plus the project's profiles, each resource under the profiles it claims (<c>meta.profile</c>)
/// and the one the service reads it under (by its code). Snapshots are the published ones in
/// <c>fhir-profiles/snapshots/</c>, generated when out of date. Lists every issue with its location, severity and
/// profile; exit 1 on any error.
/// </summary>
public static class Validation
{
    public sealed record Result(string File, string Resource, string? Profile, IReadOnlyList<ConformanceIssue> Issues)
    {
        public bool Failed => Issues.Any(i => i.Severity == IssueSeverity.Error);
    }

    private static FirelyValidator? _validator;

    /// <summary>The validator, loaded once per process; loading says what it does on <paramref name="progress"/>.</summary>
    public static FirelyValidator Validator(TextWriter progress)
    {
        if (_validator is not null) return _validator;
        var package = FirelyPackage.LoadEmbedded(m => progress.WriteLine($"cmlcds validate: {m}"));
        return _validator = new FirelyValidator(package);
    }

    public static IReadOnlyList<Result> Check(FirelyValidator validator, string path, TextWriter progress)
    {
        var name = Path.GetFileName(path);
        // The project's reader decides which profile the service reads each resource under, and says what is wrong with a file that is not FHIR JSON.
        var ours = Offline.Resources(Offline.Read(path));
        var medications = PatientHistoryMapper.Medications(ours);
        var profiles = ours.GroupBy(r => r.LocalReference, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => CmlProfiles.ProfileFor(g.First(), medications), StringComparer.Ordinal);

        var parser = new Hl7.Fhir.Serialization.FhirJsonDeserializer(new Hl7.Fhir.Serialization.DeserializerSettings().UsingMode(Hl7.Fhir.Serialization.DeserializationMode.Ostrich));
        FhirResource root;
        try
        {
            root = Hl7.Fhir.Serialization.PocoDeserializationExtensions.DeserializeResource(parser, File.ReadAllText(path));
        }
        catch (Hl7.Fhir.Serialization.DeserializationFailedException e)
        {
            throw new CliException($"{name} is not a FHIR R4 resource: {e.Message}");
        }
        var resources = root is Hl7.Fhir.Model.Bundle bundle ? bundle.Entry.Select(e => e.Resource).OfType<FhirResource>().ToList() : [root];
        var results = new List<Result>();
        foreach (var resource in resources)
        {
            var reference = $"{resource.TypeName}/{resource.Id}";
            var profile = profiles.GetValueOrDefault(reference);
            var outcome = validator.Validate(resource, profile, resources);
            results.Add(new Result(name, reference, profile, ConformanceIssue.Read(outcome, resource, profile)));
        }
        return results;
    }

    public static string Report(string file, IReadOnlyList<Result> results, FirelyPackage package)
    {
        var sb = new StringBuilder();
        foreach (var r in results)
        {
            sb.Append(r.Failed ? "FAIL  " : "ok    ").Append(r.Resource).Append("  (").Append(Title(package, r.Profile)).Append(")\n");
            foreach (var i in r.Issues.Where(i => i.Severity != IssueSeverity.Information))
                sb.Append("      ").Append(i.Severity == IssueSeverity.Error ? "error  " : "warning").Append("  ").Append(i.Location).Append(": ").Append(i.Message)
                    .Append("  [").Append(Title(package, i.ProfileUrl)).Append("]\n");
        }
        var failed = results.Count(r => r.Failed);
        int Count(IssueSeverity s) => results.Sum(r => r.Issues.Count(i => i.Severity == s));
        sb.Append(file).Append(": ").Append(Plural(results.Count, "resource")).Append(", ").Append(results.Count(r => r.Profile is not null))
            .Append(" checked against a CML CDS profile, ").Append(failed).Append(" not conformant, ")
            .Append(Plural(Count(IssueSeverity.Error), "error")).Append(", ").Append(Plural(Count(IssueSeverity.Warning), "warning")).Append('\n');
        return sb.ToString();
    }

    /// <summary>Every issue of every file as one FHIR OperationOutcome (JSON), for pipelines.</summary>
    public static string OperationOutcome(IEnumerable<Result> results, FirelyPackage package)
    {
        var issues = new JsonArray();
        foreach (var r in results)
            foreach (var i in r.Issues)
                issues.Add(new JsonObject
                {
                    ["severity"] = i.Severity.ToString().ToLowerInvariant(),
                    ["code"] = i.Severity == IssueSeverity.Information ? "informational" : "invalid",
                    ["details"] = new JsonObject { ["text"] = i.Message },
                    ["diagnostics"] = $"{r.File} {r.Resource} ({Title(package, i.ProfileUrl)}{(i.ProfileUrl is null ? "" : $" {i.ProfileUrl}")})",
                    ["expression"] = new JsonArray(i.Location),
                });
        if (issues.Count == 0)
            issues.Add(new JsonObject { ["severity"] = "information", ["code"] = "informational", ["details"] = new JsonObject { ["text"] = "All resources conform." } });
        return new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = issues }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Title(FirelyPackage package, string? profile) => profile switch
    {
        null => "core R4",
        _ when package.Profiles.TryGetValue(profile, out var sd) => sd.Title ?? sd.Name ?? profile,
        _ when profile.StartsWith("http://hl7.org/fhir/StructureDefinition/", StringComparison.Ordinal) => $"core R4 {profile[40..]}",
        _ => profile,
    };

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
