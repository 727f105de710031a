using System.Text;
using CmlCds.Fhir.Conformance;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Cli;

/// <summary>
/// `cmlcds validate`: checks resources against the project's profiles, each under the profiles it claims
/// (<c>meta.profile</c>, when one of ours) and the one the service reads it under (by its code), and lists every
/// violation with the profile element it concerns. The service itself notes only what it could not tell otherwise.
/// </summary>
public static class Validation
{
    public sealed record Result(string Resource, Profile Profile, IReadOnlyList<ProfileViolation> Violations);

    public static IReadOnlyList<Result> Check(IReadOnlyList<Resource> resources)
    {
        var package = CmlProfiles.Package;
        var medications = PatientHistoryMapper.Medications(resources);
        var results = new List<Result>();
        foreach (var resource in resources)
        {
            var claimed = resource.Meta?.Profile?.Where(package.Profiles.ContainsKey) ?? [];
            var profiles = claimed.Append(CmlProfiles.ProfileFor(resource, medications)).OfType<string>().Distinct(StringComparer.Ordinal);
            foreach (var url in profiles)
                results.Add(new Result(resource.LocalReference, package.Profile(url), package.Validate(resource, url)));
        }
        return results;
    }

    public static string Report(string file, int resourceCount, IReadOnlyList<Result> results)
    {
        var sb = new StringBuilder();
        foreach (var r in results)
        {
            sb.Append(r.Violations.Count == 0 ? "ok    " : "FAIL  ").Append(r.Resource).Append("  (").Append(r.Profile.Title).Append(")\n");
            foreach (var v in r.Violations)
                sb.Append("      ").Append(v.Code).Append("  ").Append(v.ElementId).Append(": ").Append(v.Message).Append('\n');
        }
        var failed = results.Count(r => r.Violations.Count > 0);
        sb.Append(file).Append(": ").Append(Count(resourceCount, "resource")).Append(", ").Append(results.Count).Append(" checked against a profile, ")
            .Append(failed).Append(" not conformant, ").Append(Count(results.Sum(r => r.Violations.Count), "violation")).Append('\n');
        return sb.ToString();
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
