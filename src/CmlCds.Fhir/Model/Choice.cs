using System.Collections.Frozen;

namespace CmlCds.Fhir.Model;

/// <summary>
/// Reading and writing FHIR choice elements (<c>value[x]</c>): one model property of type
/// <see cref="DataType"/>, set through the per-suffix JSON properties, so that the JSON suffix picks the
/// variant. A second variant in the same object and an unknown suffix are coded issues on the element.
/// </summary>
internal static class Choice
{
    public static string? String(DataType? current, string type) =>
        current is FhirPrimitive<string> p && p.FhirTypeName == type ? p.Value : null;

    public static bool? Boolean(DataType? current) =>
        current is FhirPrimitive<bool> p ? p.Value : null;

    public static int? Integer(DataType? current) =>
        current is FhirPrimitive<int> p ? p.Value : null;

    /// <summary>The new value of the unified property after the JSON setter for <paramref name="type"/> ran.</summary>
    public static DataType? Set(Element owner, string element, DataType? current, string type, DataType? next)
    {
        if (next is null)
            return current?.FhirTypeName == type ? null : current;
        if (current is not null && current.FhirTypeName != type)
            owner.AddIssue(new FhirIssue(FhirIssue.MultipleChoiceTypes, FhirIssueSeverity.Error, element,
                $"{element}[x] is given as both {current.FhirTypeName} and {type}; {type} is used"));
        return next;
    }

    public static DataType? SetString(Element owner, string element, DataType? current, string type, string? value) =>
        Set(owner, element, current, type, value is null ? null : new FhirPrimitive<string>(type, value));

    /// <summary>
    /// Flags each member left over in <see cref="Element.AdditionalElements"/> that starts like one of the
    /// element's choice names but whose suffix is not a type FHIR R4 allows there (e.g. <c>valueFoo</c>).
    /// Valid but unmodelled variants (e.g. <c>valueSampledData</c>) stay in the additional elements and round-trip.
    /// </summary>
    public static void CheckUnknownSuffixes(Element owner, string path, FrozenDictionary<string, string[]> choices)
    {
        if (owner.AdditionalElements is null) return;
        foreach (var key in owner.AdditionalElements.Keys)
        {
            var name = key.StartsWith('_') ? key[1..] : key;
            foreach (var (prefix, suffixes) in choices)
            {
                if (name.Length <= prefix.Length || !name.StartsWith(prefix, StringComparison.Ordinal) || !char.IsUpper(name[prefix.Length]))
                    continue;
                var suffix = name[prefix.Length..];
                if (Array.IndexOf(suffixes, suffix) < 0)
                    owner.AddIssue(new FhirIssue(FhirIssue.UnknownChoiceType, FhirIssueSeverity.Error, $"{path}.{key}",
                        $"'{suffix}' is not an allowed type for {path}.{prefix}[x] (allowed: {string.Join(", ", suffixes)})"));
            }
        }
    }

    public static FrozenDictionary<string, string[]> Table(params (string Prefix, string[] Suffixes)[] rows) =>
        rows.ToFrozenDictionary(r => r.Prefix, r => r.Suffixes, StringComparer.Ordinal);

    public static readonly string[] ObservationValueTypes =
        ["Quantity", "CodeableConcept", "String", "Boolean", "Integer", "Range", "Ratio", "SampledData", "Time", "DateTime", "Period"];
}
