namespace CmlCds.Fhir.Conformance;

/// <summary>
/// Checks one instance against one profile's differential: cardinality (min/max), allowed types of choice
/// elements, fixed values (exact) and patterns (the instance holds at least what the pattern says), required
/// bindings to the package's ValueSets, Reference targets, and slices (by type for choice elements, by pattern or
/// value for repeating ones, counted per slice). Extensible and weaker bindings are documentation, not checked.
/// </summary>
internal sealed class ProfileValidator(Profile profile)
{
    private List<ProfileViolation>? _found;

    public static IReadOnlyList<ProfileViolation> Validate(FhirNode resource, string? resourceType, Profile profile)
    {
        var run = new ProfileValidator(profile);
        if (resourceType != profile.Type)
            run.Add(profile.Root, ViolationKind.Type, $"is a {resourceType ?? "resource without a type"}; the profile is for {profile.Type}");
        else
            run.Element(resource, profile.Root);
        return run._found ?? (IReadOnlyList<ProfileViolation>)[];
    }

    private void Add(ProfileElement element, ViolationKind kind, string message) =>
        (_found ??= []).Add(new ProfileViolation(profile.Url, profile.Title, element.Id, kind, message));

    private void Element(FhirNode node, ProfileElement def)
    {
        if (def.FixedValue is { } fixedValue && !fixedValue.Matches(node, exact: true))
            Add(def, ViolationKind.FixedValue, $"must be {fixedValue}, is {ShowNode(node)}");
        if (def.PatternValue is { } pattern && !pattern.Matches(node, exact: false))
            Add(def, ViolationKind.Pattern, $"must match {pattern}");
        if (def.RequiredBinding is { } valueSet)
            Binding(def, node, valueSet);
        if (def.TargetTypes.Count > 0)
            Target(def, node);
        foreach (var child in def.Children)
        {
            if (child.IsChoice) Choice(node, child);
            else Child(node, child);
        }
    }

    private void Child(FhirNode parent, ProfileElement def)
    {
        var count = 0;
        int[]? counts = def.Slices.Count > 0 ? new int[def.Slices.Count] : null;
        foreach (var item in parent.Children(def.Name))
        {
            count++;
            Element(item, def);
            if (counts is not null) Slice(def, null, item, counts);
        }
        Cardinality(def, count);
        if (counts is not null) SliceCardinality(def, counts);
    }

    private void Choice(FhirNode parent, ProfileElement def)
    {
        var items = parent.ChoiceChildren(def.ChoiceBase);
        Cardinality(def, items.Count);
        int[]? counts = def.Slices.Count > 0 ? new int[def.Slices.Count] : null;
        foreach (var (type, item) in items)
        {
            if (def.Types is { } allowed && !Allowed(allowed, type))
                Add(def, ViolationKind.Type, $"{def.ChoiceBase}{type} is not allowed here (allowed: {string.Join(", ", allowed)})");
            Element(item, def);
            if (counts is not null) Slice(def, type, item, counts);
        }
        if (counts is not null) SliceCardinality(def, counts);
    }

    private static bool Allowed(IReadOnlyList<string> types, string suffix)
    {
        foreach (var t in types)
            if (SameType(t, suffix)) return true;
        return false;
    }

    private void Cardinality(ProfileElement def, int count)
    {
        if (def.Min is { } min && count < min)
            Add(def, ViolationKind.Cardinality, count == 0 ? $"is missing (at least {min} required)" : $"present {count} times; at least {min} required");
        if (def.Max is { } max && count > max)
            Add(def, ViolationKind.Cardinality, $"present {count} times; at most {max} allowed");
    }

    /// <summary>Puts an item in the first slice it belongs to and checks it against that slice.</summary>
    private void Slice(ProfileElement def, string? type, FhirNode item, int[] counts)
    {
        var index = def.SliceByCoding is { } byCoding ? SliceOfCoding(byCoding.Path, byCoding.Slices, item) : FirstSlice(def, type, item);
        if (index >= 0)
        {
            counts[index]++;
            Element(item, def.Slices[index]);
        }
        else if (def.ClosedSlicing)
        {
            Add(def, ViolationKind.ClosedSlicing, "an item matches none of the slices and the slicing is closed");
        }
    }

    private static int FirstSlice(ProfileElement def, string? type, FhirNode item)
    {
        for (var i = 0; i < def.Slices.Count; i++)
            if (InSlice(def, def.Slices[i], type, item)) return i;
        return -1;
    }

    /// <summary>The first slice (in profile order) whose one coding the item's concept at the path holds.</summary>
    private static int SliceOfCoding(string path, Dictionary<(string, string), int> slices, FhirNode item)
    {
        var found = -1;
        foreach (var concept in item.Children(path))
            foreach (var coding in concept.Children("coding"))
                if (Text(coding, "system") is { } system && Text(coding, "code") is { } code
                    && slices.TryGetValue((system, code), out var i) && (found < 0 || i < found))
                    found = i;
        return found;
    }

    private void SliceCardinality(ProfileElement def, int[] counts)
    {
        for (var i = 0; i < counts.Length; i++)
            Cardinality(def.Slices[i], counts[i]);
    }

    private static bool InSlice(ProfileElement sliced, ProfileElement slice, string? type, FhirNode node)
    {
        if (sliced.IsChoice)
            return type is not null && slice.Types is [var only] && SameType(only, type);
        foreach (var key in slice.SliceKeys)
            if (!AnyAt(node, key.Path, 0, key.Expected, key.Exact)) return false;
        return slice.SliceKeys.Length > 0;
    }

    /// <summary>Whether any node at the path below <paramref name="node"/> matches.</summary>
    private static bool AnyAt(FhirNode node, string[] path, int depth, ExpectedValue expected, bool exact)
    {
        foreach (var child in node.Children(path[depth]))
            if (depth == path.Length - 1 ? expected.Matches(child, exact) : AnyAt(child, path, depth + 1, expected, exact))
                return true;
        return false;
    }

    private void Binding(ProfileElement def, FhirNode node, ValueSet vs)
    {
        if (node.PrimitiveText is { } code)
        {
            if (!vs.ContainsCode(code)) Add(def, ViolationKind.Binding, $"'{code}' is not in the ValueSet {vs.Title} ({vs.Url})");
            return;
        }
        var codings = node.Children("coding");
        if (codings.Any() || node.Children("text").Any())
        {
            foreach (var c in codings)
                if (vs.Contains(Text(c, "system"), Text(c, "code"))) return;
            var found = new List<string>();
            foreach (var c in codings) found.Add($"{Text(c, "system")}|{Text(c, "code")}");
            Add(def, ViolationKind.Binding, found.Count == 0
                ? $"has text only, no coding from the ValueSet {vs.Title} ({vs.Url})"
                : $"has no coding from the ValueSet {vs.Title} ({vs.Url}); found {string.Join(", ", found)}");
            return;
        }
        if (!vs.Contains(Text(node, "system"), Text(node, "code")))
            Add(def, ViolationKind.Binding, $"{Text(node, "system")}|{Text(node, "code")} is not in the ValueSet {vs.Title} ({vs.Url})");
    }

    private void Target(ProfileElement def, FhirNode node)
    {
        if (Text(node, "reference") is not { } reference) return;
        var type = ReferencedType(reference);
        if (type.IsEmpty) return;
        foreach (var allowed in def.TargetTypes)
            if (type.SequenceEqual(allowed)) return;
        Add(def, ViolationKind.ReferenceTarget, $"refers to a {type.ToString()}; must refer to {string.Join(" or ", def.TargetTypes)}");
    }

    /// <summary>
    /// The type of a relative (<c>Patient/123</c>) or absolute (<c>https://x/fhir/Patient/123/_history/2</c>)
    /// reference; contained (<c>#</c>), <c>urn:</c> and other forms name none.
    /// </summary>
    internal static ReadOnlySpan<char> ReferencedType(string reference)
    {
        var span = reference.AsSpan();
        if (span.Length == 0 || span[0] == '#' || span.StartsWith("urn:")) return default;
        var history = span.IndexOf("/_history/");
        if (history >= 0) span = span[..history];
        var lastSlash = span.LastIndexOf('/');
        if (lastSlash <= 0 || lastSlash == span.Length - 1) return default;
        var head = span[..lastSlash];
        var type = head[(head.LastIndexOf('/') + 1)..];
        if (type.Length == 0 || !char.IsAsciiLetterUpper(type[0])) return default;
        foreach (var c in type)
            if (!char.IsAsciiLetter(c)) return default;
        return type;
    }

    private static string? Text(FhirNode node, string child) => node.Children(child).FirstOrDefault().PrimitiveText;

    /// <summary><c>dateTime</c> is the type of the JSON suffix <c>DateTime</c>.</summary>
    private static bool SameType(string typeCode, string? suffix) =>
        suffix is { Length: > 0 } && typeCode.Length == suffix.Length
        && char.ToUpperInvariant(typeCode[0]) == suffix[0] && string.CompareOrdinal(typeCode, 1, suffix, 1, typeCode.Length - 1) == 0;

    private static string ShowNode(FhirNode node) => node.PrimitiveText is { } t ? $"'{t}'" : "a complex value";
}
