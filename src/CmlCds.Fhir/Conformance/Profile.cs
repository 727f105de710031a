using System.Text.Json;

namespace CmlCds.Fhir.Conformance;

/// <summary>
/// One element of a profile's differential, placed in a tree by its id (<c>Observation.value[x]:valueQuantity.system</c>):
/// children under their element, slices under the sliced element. Elements the differential skips on the way
/// (e.g. <c>dosageInstruction</c> above <c>dosageInstruction.timing</c>) are present without constraints.
/// </summary>
public sealed class ProfileElement
{
    public required string Id { get; init; }
    private readonly string _name = "";

    /// <summary>The last path segment, e.g. <c>value[x]</c>.</summary>
    public required string Name
    {
        get => _name;
        init
        {
            _name = value;
            IsChoice = value.EndsWith("[x]", StringComparison.Ordinal);
            ChoiceBase = IsChoice ? value[..^3] : value;
        }
    }
    public string? SliceName { get; init; }
    public int? Min { get; internal set; }
    /// <summary>null when unconstrained; <see cref="int.MaxValue"/> for <c>*</c>.</summary>
    public int? Max { get; internal set; }
    public IReadOnlyList<string>? Types { get; internal set; }
    /// <summary>Resource types a Reference may point to (from <c>targetProfile</c> of core resources).</summary>
    public IReadOnlyList<string> TargetTypes { get; internal set; } = [];
    public JsonElement? Fixed { get; internal set; }
    public JsonElement? Pattern { get; internal set; }
    public string? RequiredValueSet { get; internal set; }
    public IReadOnlyList<(string Type, string Path)>? Discriminators { get; internal set; }
    public bool ClosedSlicing { get; internal set; }
    public IReadOnlyList<ProfileElement> Children => ChildList;
    public IReadOnlyList<ProfileElement> Slices => SliceList;
    internal List<ProfileElement> ChildList { get; } = [];
    internal List<ProfileElement> SliceList { get; } = [];

    /// <summary>For a slice: what its discriminators require, resolved once at load (path segments, value, exact or pattern).</summary>
    internal (string[] Path, ExpectedValue Expected, bool Exact)[] SliceKeys { get; set; } = [];

    internal ExpectedValue? FixedValue { get; set; }
    internal ExpectedValue? PatternValue { get; set; }

    /// <summary>The ValueSet of <see cref="RequiredValueSet"/>, resolved at load.</summary>
    internal ValueSet? RequiredBinding { get; set; }

    /// <summary>
    /// For an element sliced by a pattern on one coding (<c>code</c> = {coding: [{system, code}]}) in every slice: the
    /// slice of each (system, code), so that an item finds its slice with one lookup per coding. Built at load.
    /// </summary>
    internal (string Path, Dictionary<(string System, string Code), int> Slices)? SliceByCoding { get; set; }

    public bool IsChoice { get; private init; }
    /// <summary>The name without <c>[x]</c> (<c>value</c>), the prefix of the JSON names of the variants.</summary>
    public string ChoiceBase { get; private init; } = "";

    /// <summary>The child element at a dotted path below this one (a discriminator path), or null.</summary>
    public ProfileElement? Descendant(string path)
    {
        var current = this;
        foreach (var segment in path.Split('.'))
        {
            current = current.Children.FirstOrDefault(c => c.Name == segment);
            if (current is null) return null;
        }
        return current;
    }
}

/// <summary>A constraint StructureDefinition read from its differential.</summary>
public sealed class Profile
{
    public required string Url { get; init; }
    public required string Title { get; init; }
    public required string Type { get; init; }
    public required ProfileElement Root { get; init; }
    /// <summary>Every element of the differential, in file order.</summary>
    public required IReadOnlyList<ProfileElement> Elements { get; init; }

    private const string CoreBase = "http://hl7.org/fhir/StructureDefinition/";

    internal static Profile Read(JsonElement sd)
    {
        var url = sd.GetProperty("url").GetString()!;
        var type = sd.GetProperty("type").GetString()!;
        if (sd.GetProperty("derivation").GetString() != "constraint" || sd.GetProperty("baseDefinition").GetString() != CoreBase + type)
            throw new ConformancePackageException($"{url}: only constraints directly on the core {type} are supported.");
        var byId = new Dictionary<string, ProfileElement>(StringComparer.Ordinal);
        var root = new ProfileElement { Id = type, Name = type };
        byId[type] = root;
        var elements = new List<ProfileElement>();
        foreach (var e in sd.GetProperty("differential").GetProperty("element").EnumerateArray())
        {
            var id = e.GetProperty("id").GetString()!;
            var element = Place(id, byId, url);
            Constrain(element, e, url);
            elements.Add(element);
        }
        return new Profile { Url = url, Title = sd.GetProperty("title").GetString()!, Type = type, Root = root, Elements = elements };
    }

    /// <summary>Finds or creates the element with this id and every element above it.</summary>
    private static ProfileElement Place(string id, Dictionary<string, ProfileElement> byId, string url)
    {
        if (byId.TryGetValue(id, out var known)) return known;
        var dot = id.LastIndexOf('.');
        if (dot < 0) throw new ConformancePackageException($"{url}: element '{id}' is not under the profiled type.");
        var segment = id[(dot + 1)..];
        var colon = segment.IndexOf(':');
        ProfileElement element;
        if (colon >= 0)
        {
            var sliced = Place(id[..(dot + 1)] + segment[..colon], byId, url);
            element = new ProfileElement { Id = id, Name = sliced.Name, SliceName = segment[(colon + 1)..] };
            sliced.SliceList.Add(element);
        }
        else
        {
            var parent = Place(id[..dot], byId, url);
            element = new ProfileElement { Id = id, Name = segment };
            parent.ChildList.Add(element);
        }
        byId[id] = element;
        return element;
    }

    private static void Constrain(ProfileElement element, JsonElement e, string url)
    {
        if (e.TryGetProperty("min", out var min)) element.Min = min.GetInt32();
        if (e.TryGetProperty("max", out var max)) element.Max = max.GetString() == "*" ? int.MaxValue : int.Parse(max.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        if (e.TryGetProperty("type", out var types))
        {
            element.Types = types.EnumerateArray().Select(t => t.GetProperty("code").GetString()!).ToList();
            element.TargetTypes = types.EnumerateArray()
                .SelectMany(t => t.TryGetProperty("targetProfile", out var p) ? p.EnumerateArray().Select(x => x.GetString()!) : [])
                .Select(p => p.StartsWith(CoreBase, StringComparison.Ordinal) ? p[CoreBase.Length..]
                    : throw new ConformancePackageException($"{url} {element.Id}: target profiles other than core resources are not supported."))
                .ToList();
        }
        foreach (var property in e.EnumerateObject())
        {
            if (property.Name.StartsWith("fixed", StringComparison.Ordinal))
            {
                element.Fixed = property.Value.Clone();
                element.FixedValue = ExpectedValue.Compile(property.Value);
            }
            else if (property.Name.StartsWith("pattern", StringComparison.Ordinal))
            {
                element.Pattern = property.Value.Clone();
                element.PatternValue = ExpectedValue.Compile(property.Value);
            }
        }
        if (e.TryGetProperty("binding", out var binding) && binding.GetProperty("strength").GetString() == "required")
            element.RequiredValueSet = binding.GetProperty("valueSet").GetString();
        if (e.TryGetProperty("slicing", out var slicing))
        {
            element.Discriminators = slicing.TryGetProperty("discriminator", out var ds)
                ? ds.EnumerateArray().Select(d => (d.GetProperty("type").GetString()!, d.GetProperty("path").GetString()!)).ToList()
                : [];
            element.ClosedSlicing = slicing.TryGetProperty("rules", out var rules) && rules.GetString() == "closed";
        }
    }
}
