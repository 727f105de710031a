using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Conformance;

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
    public sealed record Result(string File, ResourceCheck Check)
    {
        public bool Failed => Check.Failed;
    }

    private static FirelyValidator? _validator;

    /// <summary>
    /// The validator, loaded once per process: the guide built into the tool, or the one in <paramref name="profiles"/>
    /// (a folder laid out as fhir-profiles/). Generating a snapshot is said on <paramref name="progress"/>, and so is
    /// loading when <paramref name="progress"/> is a terminal (a pipeline's stderr stays empty unless there is news).
    /// </summary>
    public static FirelyValidator Validator(TextWriter progress, bool interactive, DirectoryInfo? profiles)
    {
        if (_validator is not null) return _validator;
        void Say(string message)
        {
            if (interactive || message.StartsWith("Generating", StringComparison.Ordinal)) progress.WriteLine($"cmlcds validate: {message}");
        }
        try
        {
            var package = profiles is null ? FirelyPackage.LoadEmbedded(Say) : FirelyPackage.LoadFolder(profiles.FullName, Say);
            return _validator = new FirelyValidator(package);
        }
        catch (FirelyPackageException e)
        {
            throw new CliException($"{e.Message}; fix the profile, then regenerate the snapshots ({FirelyPackage.RegenerateCommand}).");
        }
    }

    public static IReadOnlyList<Result> Check(FirelyValidator validator, string path)
    {
        // The project's reader says what is wrong with a file that is not a FHIR resource, in one line.
        Offline.Read(path);
        try
        {
            return ServiceProfiles.Check(validator, [File.ReadAllText(path)]).Select(c => new Result(Path.GetFileName(path), c)).ToList();
        }
        catch (FirelyPackageException e)
        {
            throw new CliException($"{Path.GetFileName(path)} is {e.Message}");
        }
    }

    public static string Report(string file, IReadOnlyList<Result> results, FirelyPackage package)
    {
        var sb = new StringBuilder();
        foreach (var r in results.Select(r => r.Check))
        {
            sb.Append(r.Failed ? "FAIL  " : "ok    ").Append(r.Resource).Append("  (").Append(Title(package, r.Profile)).Append(")\n");
            foreach (var i in r.Issues.Where(i => i.Severity != IssueSeverity.Information))
                sb.Append("      ").Append(i.Severity == IssueSeverity.Error ? "error  " : "warning").Append("  ").Append(i.Location).Append(": ").Append(i.Message)
                    .Append("  [").Append(Title(package, i.ProfileUrl)).Append("]\n");
        }
        var failed = results.Count(r => r.Failed);
        int Count(IssueSeverity s) => results.Sum(r => r.Check.Issues.Count(i => i.Severity == s));
        sb.Append(file).Append(": ").Append(Plural(results.Count, "resource")).Append(", ").Append(results.Count(r => r.Check.Profile is not null))
            .Append(" checked against a CML CDS profile, ").Append(failed).Append(" not conformant, ")
            .Append(Plural(Count(IssueSeverity.Error), "error")).Append(", ").Append(Plural(Count(IssueSeverity.Warning), "warning")).Append('\n');
        return sb.ToString();
    }

    /// <summary>Every issue of every file as one FHIR OperationOutcome (JSON), for pipelines.</summary>
    public static string OperationOutcome(IEnumerable<Result> results, FirelyPackage package)
    {
        var issues = new JsonArray();
        foreach (var r in results)
            foreach (var i in r.Check.Issues)
                issues.Add(new JsonObject
                {
                    ["severity"] = i.Severity.ToString().ToLowerInvariant(),
                    ["code"] = i.Severity == IssueSeverity.Information ? "informational" : "invalid",
                    ["details"] = new JsonObject { ["text"] = i.Message },
                    ["diagnostics"] = $"{r.File} {r.Check.Resource} ({Title(package, i.ProfileUrl)}{(i.ProfileUrl is null ? "" : $" {i.ProfileUrl}")})",
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
