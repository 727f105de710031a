using System.Text.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Conformance;

/// <summary>
/// The project's implementation guide as loaded: StructureDefinitions (as <see cref="Profile"/>s), ValueSets and
/// CodeSystems from <c>fhir-profiles/</c>. <see cref="Embedded"/> is the copy built into this assembly, which the
/// service loads at start-up and the clinical mapping reads its codes from, so the published profiles and the code
/// are one source. Loading checks the package is usable (every required binding resolves, every slice can be told
/// apart) and throws <see cref="ConformancePackageException"/> otherwise.
/// </summary>
public sealed class ConformancePackage
{
    private static readonly Lazy<ConformancePackage> EmbeddedPackage = new(LoadEmbedded);

    public IReadOnlyDictionary<string, Profile> Profiles { get; }
    public IReadOnlyDictionary<string, ValueSet> ValueSets { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<Concept>> CodeSystems { get; }

    private ConformancePackage(Dictionary<string, Profile> profiles, Dictionary<string, ValueSet> valueSets, Dictionary<string, IReadOnlyList<Concept>> codeSystems)
    {
        Profiles = profiles;
        ValueSets = valueSets;
        CodeSystems = codeSystems;
    }

    /// <summary>The package built into the assembly from <c>fhir-profiles/*.json</c>.</summary>
    public static ConformancePackage Embedded => EmbeddedPackage.Value;

    public Profile Profile(string url) =>
        Profiles.TryGetValue(url, out var p) ? p : throw new KeyNotFoundException($"No profile {url} in the package.");

    public ValueSet ValueSet(string url) =>
        ValueSets.TryGetValue(url, out var vs) ? vs : throw new KeyNotFoundException($"No ValueSet {url} in the package.");

    public IReadOnlyList<ProfileViolation> Validate(Resource resource, string profileUrl) =>
        ProfileValidator.Validate(FhirNode.For(resource), resource.ResourceType, Profile(profileUrl));

    public IReadOnlyList<ProfileViolation> Validate(JsonElement resource, string profileUrl) =>
        ProfileValidator.Validate(FhirNode.For(resource),
            resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("resourceType", out var t) ? t.GetString() : null,
            Profile(profileUrl));

    /// <summary>Reads every <c>*.json</c> of a folder (not its subfolders, where examples live).</summary>
    public static ConformancePackage LoadDirectory(string directory) =>
        Load(Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))));

    public static ConformancePackage Load(IEnumerable<(string Name, byte[] Json)> files)
    {
        var documents = files.Select(f => (f.Name, Root: Parse(f.Name, f.Json))).ToList();
        string TypeOf(JsonElement e) => e.TryGetProperty("resourceType", out var t) ? t.GetString() ?? "" : "";

        var codeSystems = new Dictionary<string, IReadOnlyList<Concept>>(StringComparer.Ordinal);
        foreach (var (_, root) in documents.Where(d => TypeOf(d.Root) == "CodeSystem"))
            codeSystems.Add(root.GetProperty("url").GetString()!, Conformance.ValueSet.ReadCodeSystem(root));
        var valueSets = new Dictionary<string, ValueSet>(StringComparer.Ordinal);
        foreach (var (_, root) in documents.Where(d => TypeOf(d.Root) == "ValueSet"))
        {
            var vs = Conformance.ValueSet.Read(root, codeSystems);
            valueSets.Add(vs.Url, vs);
        }
        var profiles = new Dictionary<string, Profile>(StringComparer.Ordinal);
        foreach (var (_, root) in documents.Where(d => TypeOf(d.Root) == "StructureDefinition"))
        {
            var profile = Conformance.Profile.Read(root);
            Check(profile, valueSets);
            profiles.Add(profile.Url, profile);
        }
        return new ConformancePackage(profiles, valueSets, codeSystems);
    }

    private static JsonElement Parse(string name, byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ConformancePackageException($"{name} is not valid JSON: {e.Message}");
        }
    }

    /// <summary>What the validator relies on: bindings resolve; slices are told apart by what the validator reads.</summary>
    private static void Check(Profile profile, Dictionary<string, ValueSet> valueSets)
    {
        foreach (var e in profile.Elements)
        {
            if (e.RequiredValueSet is { } url)
                e.RequiredBinding = valueSets.TryGetValue(url, out var bound) ? bound
                    : throw new ConformancePackageException($"{profile.Url} {e.Id}: required binding to {url}, which is not in the package.");
            if (e.Slices.Count == 0) continue;
            if (e.IsChoice)
            {
                if (e.Slices.Any(s => s.Types is not { Count: 1 }))
                    throw new ConformancePackageException($"{profile.Url} {e.Id}: each type slice must name exactly one type.");
                continue;
            }
            if (e.Discriminators is not { Count: > 0 } discriminators || discriminators.Any(d => d.Type is not ("pattern" or "value")))
                throw new ConformancePackageException($"{profile.Url} {e.Id}: slicing needs pattern or value discriminators.");
            foreach (var slice in e.Slices)
            {
                var keys = new List<(string[], ExpectedValue, bool)>();
                foreach (var (kind, path) in discriminators)
                {
                    if (slice.Descendant(path) is not { } at || (at.PatternValue ?? at.FixedValue) is not { } expected)
                        throw new ConformancePackageException($"{profile.Url} {slice.Id}: no pattern or fixed value at the discriminator path '{path}'.");
                    keys.Add((path.Split('.'), expected, kind == "value" && at.Fixed is not null));
                }
                slice.SliceKeys = [.. keys];
            }
            e.SliceByCoding = IndexByCoding(e);
        }
    }

    private static (string, Dictionary<(string, string), int>)? IndexByCoding(ProfileElement sliced)
    {
        if (sliced.Discriminators is not [("pattern", var path)] || path.Contains('.')) return null;
        var index = new Dictionary<(string, string), int>();
        for (var i = 0; i < sliced.Slices.Count; i++)
        {
            if (sliced.Slices[i].SliceKeys is not [{ Exact: false } key] || !key.Expected.IsSingleCoding(out var system, out var code)) return null;
            index.TryAdd((system, code), i);
        }
        return (path, index);
    }

    private static ConformancePackage LoadEmbedded()
    {
        const string prefix = "fhir-profiles/";
        var assembly = typeof(ConformancePackage).Assembly;
        var files = assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return (n[prefix.Length..], buffer.ToArray());
            }).ToList();
        if (files.Count == 0) throw new ConformancePackageException("The assembly carries no fhir-profiles resources.");
        return Load(files);
    }
}
