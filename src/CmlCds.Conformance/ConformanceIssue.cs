using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CmlCds.Conformance;

public enum IssueSeverity { Error, Warning, Information }

/// <summary>
/// One issue Firely's validator found in a resource: where (<see cref="Location"/>, a FHIRPath into the instance),
/// how bad, what, and under which profile (<see cref="ProfileUrl"/>, the profile whose element raised it).
/// </summary>
public sealed partial record ConformanceIssue(IssueSeverity Severity, string Location, string Message, string? ProfileUrl, string? ProfileElement)
{
    /// <summary>
    /// The element as both validators can name it: the path without indexes, slice names or <c>[x]</c>
    /// (<c>Observation.value[x]:valueQuantity.code</c> and <c>Observation.value[0].code[0]</c> are both
    /// <c>Observation.value.code</c>).
    /// </summary>
    public string Element => Normalise(Location);

    public static string Normalise(string path) => Indexes().Replace(Slices().Replace(path.Replace("[x]", "", StringComparison.Ordinal), ""), "");

    /// <summary>
    /// Is this issue on the profile element <paramref name="elementId"/> (e.g. <c>MedicationRequest.medication[x]</c>)?
    /// Compared as <see cref="Normalise"/>d paths, where a choice element <c>medication[x]</c> is any of its types'
    /// names in the instance (<c>medicationReference</c>).
    /// </summary>
    public bool IsOn(string elementId)
    {
        var profile = Slices().Replace(elementId, "").Split('.');
        var instance = Element.Split('.');
        if (profile.Length != instance.Length) return false;
        for (var i = 0; i < profile.Length; i++)
        {
            var choice = profile[i].EndsWith("[x]", StringComparison.Ordinal);
            var name = choice ? profile[i][..^3] : profile[i];
            if (!(instance[i] == name || (choice && instance[i].StartsWith(name, StringComparison.Ordinal) && instance[i].Length > name.Length && char.IsUpper(instance[i][name.Length]))))
                return false;
        }
        return true;
    }

    /// <summary>Reads Firely's OperationOutcome for <paramref name="instance"/>, validated under <paramref name="profile"/> (or core only).</summary>
    public static IReadOnlyList<ConformanceIssue> Read(OperationOutcome outcome, Resource instance, string? profile)
    {
        var issues = new List<ConformanceIssue>();
        foreach (var i in outcome.Issue)
        {
            var severity = i.Severity switch
            {
                OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Error => IssueSeverity.Error,
                OperationOutcome.IssueSeverity.Warning => IssueSeverity.Warning,
                _ => IssueSeverity.Information,
            };
            var message = i.Details?.Text ?? i.Diagnostics ?? i.Code?.ToString() ?? "";
            var location = i.Expression.FirstOrDefault() ?? i.Location.FirstOrDefault() ?? instance.TypeName;
            // A missing element is reported at its parent; name the element itself.
            if (MissingMember().Match(message) is { Success: true } missing) location += "." + missing.Groups[1].Value;
            // So is a child element that repeats too often (or too rarely) for a slice.
            else if (ChildCardinality().Match(message) is { Success: true } child) location += "." + child.Groups[1].Value;
            // A reference to the wrong type of resource is reported at the resource it points at; name the element
            // that holds the reference instead.
            if (WrongTarget().Match(message) is { Success: true } target && ReferencePath(instance, target.Groups[1].Value) is { } referencing)
                location = referencing;
            var (profileUrl, profileElement) = Trace(i.Diagnostics);
            issues.Add(new ConformanceIssue(severity, Display(location), message, profileUrl ?? profile, profileElement));
        }
        return issues;
    }

    /// <summary>FHIRPath without the <c>[0]</c> Firely writes after every element.</summary>
    private static string Display(string path) => path.Replace("[0]", "", StringComparison.Ordinal);

    /// <summary><c>ElementDefinition trace: Observation(url).value[valueQuantity].code</c>: the profile and its element.</summary>
    private static (string? Url, string? Element) Trace(string? diagnostics)
    {
        if (diagnostics is null || TraceLine().Match(diagnostics) is not { Success: true } m) return (null, null);
        return (m.Groups["url"].Value, m.Groups["type"].Value + m.Groups["path"].Value);
    }

    private static string? ReferencePath(Resource instance, string reference)
    {
        var json = JsonNode.Parse(FirelyPackage.Serializer.SerializeToString(instance));
        return Find(json, instance.TypeName);

        string? Find(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["reference"] is JsonValue v && v.TryGetValue<string>(out var s) && s == reference) return path;
                    foreach (var (name, child) in o)
                        if (name != "resourceType" && Find(child, $"{path}.{name}") is { } found) return found;
                    return null;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                        if (Find(a[i], i == 0 ? path : $"{path}[{i}]") is { } found) return found;
                    return null;
                default:
                    return null;
            }
        }
    }

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Indexes();

    [GeneratedRegex(@":[A-Za-z0-9_\-]+")]
    private static partial Regex Slices();

    [GeneratedRegex(@"^Missing required member: '([A-Za-z0-9_\[\]]+)'")]
    private static partial Regex MissingMember();

    [GeneratedRegex(@"^Instance count at element '([A-Za-z0-9_]+)' is \d+, which is not within the specified cardinality")]
    private static partial Regex ChildCardinality();

    [GeneratedRegex(@"^Referenced resource '([^']+)' is of type")]
    private static partial Regex WrongTarget();

    [GeneratedRegex(@"ElementDefinition trace: (?<type>[A-Za-z]+)\((?<url>[^)]+)\)(?<path>\S*)")]
    private static partial Regex TraceLine();
}
