using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CmlCds.Fhir.Conformance;

/// <summary>
/// Checks one instance against one profile's differential: cardinality (min/max), allowed types of choice
/// elements, fixed values (exact) and patterns (the instance holds at least what the pattern says), required
/// bindings to the package's ValueSets, Reference targets, and slices (by type for choice elements, by pattern or
/// value for repeating ones, counted per slice). Extensible and weaker bindings are documentation, not checked.
/// </summary>
internal sealed partial class ProfileValidator(Profile profile, ConformancePackage package)
{
    private readonly List<ProfileViolation> _found = [];

    public static IReadOnlyList<ProfileViolation> Validate(FhirNode resource, string? resourceType, Profile profile, ConformancePackage package)
    {
        var run = new ProfileValidator(profile, package);
        if (resourceType != profile.Type)
            run.Add(profile.Root, ViolationKind.Type, $"is a {resourceType ?? "resource without a type"}; the profile is for {profile.Type}");
        else
            run.Element(resource, profile.Root);
        return run._found;
    }

    private void Add(ProfileElement element, ViolationKind kind, string message) =>
        _found.Add(new ProfileViolation(profile.Url, profile.Title, element.Id, kind, message));

    private void Element(FhirNode node, ProfileElement def)
    {
        if (def.Fixed is { } fixedValue && !Matches(fixedValue, node, exact: true))
            Add(def, ViolationKind.FixedValue, $"must be {Show(fixedValue)}, is {ShowNode(node)}");
        if (def.Pattern is { } pattern && !Matches(pattern, node, exact: false))
            Add(def, ViolationKind.Pattern, $"must match {Show(pattern)}");
        if (def.RequiredValueSet is { } url)
            Binding(def, node, package.ValueSet(url));
        if (def.TargetTypes.Count > 0)
            Target(def, node);
        foreach (var child in def.Children)
            Child(node, child);
    }

    private void Child(FhirNode parent, ProfileElement def)
    {
        var items = Items(parent, def);
        Cardinality(def, items.Count);
        if (def.IsChoice && def.Types is { } allowed)
            foreach (var (type, _) in items)
                if (!allowed.Any(t => SameType(t, type)))
                    Add(def, ViolationKind.Type, $"{def.ChoiceBase}{type} is not allowed here (allowed: {string.Join(", ", allowed)})");
        foreach (var (_, node) in items)
            Element(node, def);
        if (def.Slices.Count > 0)
            Slices(def, items);
    }

    private static List<(string? Type, FhirNode Node)> Items(FhirNode parent, ProfileElement def)
    {
        if (!def.IsChoice)
            return parent.Children(def.Name).Select(n => ((string?)null, n)).ToList();
        var prefix = def.ChoiceBase;
        return parent.Children()
            .Where(c => c.Name.Length > prefix.Length && c.Name.StartsWith(prefix, StringComparison.Ordinal) && char.IsUpper(c.Name[prefix.Length]))
            .Select(c => ((string?)c.Name[prefix.Length..], c.Node))
            .ToList();
    }

    private void Cardinality(ProfileElement def, int count)
    {
        if (def.Min is { } min && count < min)
            Add(def, ViolationKind.Cardinality, count == 0 ? $"is missing (at least {min} required)" : $"present {count} times; at least {min} required");
        if (def.Max is { } max && count > max)
            Add(def, ViolationKind.Cardinality, $"present {count} times; at most {max} allowed");
    }

    private void Slices(ProfileElement def, List<(string? Type, FhirNode Node)> items)
    {
        var counts = new int[def.Slices.Count];
        foreach (var (type, node) in items)
        {
            var index = def.SliceList.FindIndex(s => InSlice(def, s, type, node));
            if (index < 0)
            {
                if (def.ClosedSlicing) Add(def, ViolationKind.ClosedSlicing, "an item matches none of the slices and the slicing is closed");
                continue;
            }
            counts[index]++;
            Element(node, def.Slices[index]);
        }
        for (var i = 0; i < counts.Length; i++)
            Cardinality(def.Slices[i], counts[i]);
    }

    private static bool InSlice(ProfileElement sliced, ProfileElement slice, string? type, FhirNode node)
    {
        if (sliced.IsChoice)
            return type is not null && slice.Types is [var only] && SameType(only, type);
        foreach (var (kind, path) in sliced.Discriminators ?? [])
        {
            var at = slice.Descendant(path);
            if ((at?.Pattern ?? at?.Fixed) is not { } expected) return false;
            var exact = kind == "value" && at!.Fixed is not null;
            if (!Descend(node, path).Any(n => Matches(expected, n, exact))) return false;
        }
        return sliced.Discriminators is { Count: > 0 };
    }

    private static IEnumerable<FhirNode> Descend(FhirNode node, string path)
    {
        IEnumerable<FhirNode> current = [node];
        foreach (var segment in path.Split('.'))
            current = current.SelectMany(n => n.Children(segment));
        return current;
    }

    private void Binding(ProfileElement def, FhirNode node, ValueSet vs)
    {
        if (node.PrimitiveText is { } code)
        {
            if (!vs.ContainsCode(code)) Add(def, ViolationKind.Binding, $"'{code}' is not in the ValueSet {vs.Title} ({vs.Url})");
            return;
        }
        var codings = node.Children("coding").ToList();
        if (codings.Count > 0 || node.Children("text").Any())
        {
            if (!codings.Any(c => vs.Contains(Text(c, "system"), Text(c, "code"))))
                Add(def, ViolationKind.Binding, codings.Count == 0
                    ? $"has text only, no coding from the ValueSet {vs.Title} ({vs.Url})"
                    : $"has no coding from the ValueSet {vs.Title} ({vs.Url}); found {string.Join(", ", codings.Select(c => $"{Text(c, "system")}|{Text(c, "code")}"))}");
            return;
        }
        if (!vs.Contains(Text(node, "system"), Text(node, "code")))
            Add(def, ViolationKind.Binding, $"{Text(node, "system")}|{Text(node, "code")} is not in the ValueSet {vs.Title} ({vs.Url})");
    }

    private void Target(ProfileElement def, FhirNode node)
    {
        if (Text(node, "reference") is not { } reference || ReferenceType().Match(reference) is not { Success: true } m) return;
        var type = m.Groups["type"].Value;
        if (!def.TargetTypes.Contains(type))
            Add(def, ViolationKind.ReferenceTarget, $"refers to a {type}; must refer to {string.Join(" or ", def.TargetTypes)}");
    }

    /// <summary>Relative (<c>Patient/123</c>) or absolute references; contained (<c>#</c>) and <c>urn:</c> ones name no type.</summary>
    [GeneratedRegex(@"^(?:https?://.*/)?(?<type>[A-Z][A-Za-z]+)/[A-Za-z0-9\-\.]{1,64}(?:/_history/[A-Za-z0-9\-\.]{1,64})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceType();

    private static string? Text(FhirNode node, string child) => node.Children(child).FirstOrDefault()?.PrimitiveText;

    /// <summary><c>dateTime</c> is the type of the JSON suffix <c>DateTime</c>.</summary>
    private static bool SameType(string typeCode, string? suffix) =>
        suffix is { Length: > 0 } && typeCode.Length == suffix.Length
        && char.ToUpperInvariant(typeCode[0]) == suffix[0] && string.CompareOrdinal(typeCode, 1, suffix, 1, typeCode.Length - 1) == 0;

    /// <summary>
    /// A pattern holds when every member it names is in the instance with a matching value (each array item matching
    /// some instance item); a fixed value must also have nothing more (same members, same array lengths).
    /// </summary>
    internal static bool Matches(JsonElement expected, FhirNode node, bool exact)
    {
        if (expected.ValueKind != JsonValueKind.Object)
            return node.PrimitiveText is { } text && PrimitiveEquals(expected, text);
        if (node.PrimitiveText is not null) return false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in expected.EnumerateObject())
        {
            names.Add(member.Name);
            var present = node.Children(member.Name).ToList();
            var wanted = member.Value.ValueKind == JsonValueKind.Array ? member.Value.EnumerateArray().ToList() : [member.Value];
            if (!wanted.All(w => present.Any(p => Matches(w, p, exact)))) return false;
            if (exact && present.Count != wanted.Count) return false;
        }
        return !exact || node.Children().All(c => names.Contains(c.Name));
    }

    private static bool PrimitiveEquals(JsonElement expected, string text) => expected.ValueKind switch
    {
        JsonValueKind.String => string.Equals(expected.GetString(), text, StringComparison.Ordinal),
        JsonValueKind.Number => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && expected.TryGetDecimal(out var e) && d == e,
        _ => string.Equals(expected.GetRawText(), text, StringComparison.Ordinal),
    };

    private static string Show(JsonElement value) => value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : value.GetRawText();

    private static string ShowNode(FhirNode node) => node.PrimitiveText is { } t ? $"'{t}'" : "a complex value";
}
