using System.Text.Json;

namespace CmlCds.Fhir.Conformance;

/// <summary>One code of a ValueSet or CodeSystem, in the order the file lists it.</summary>
public sealed record Concept(string System, string Code, string? Display);

/// <summary>
/// A ValueSet expanded from its <c>compose.include</c>: enumerated concepts, or every concept of a CodeSystem of the
/// same package (the only two forms the package uses; anything else is refused when the package loads, so a
/// ValueSet never silently expands to nothing).
/// </summary>
public sealed class ValueSet
{
    private readonly HashSet<(string System, string Code)> _members;

    public string Url { get; }
    public string Title { get; }
    public IReadOnlyList<Concept> Concepts { get; }

    private ValueSet(string url, string title, IReadOnlyList<Concept> concepts)
    {
        Url = url;
        Title = title;
        Concepts = concepts;
        _members = concepts.Select(c => (c.System, c.Code)).ToHashSet();
    }

    public bool Contains(string? system, string? code) =>
        system is not null && code is not null && _members.Contains((system, code));

    /// <summary>A bare <c>code</c> (no system, e.g. <c>Quantity.comparator</c>): whether any system of the set has it.</summary>
    public bool ContainsCode(string? code) => code is not null && Concepts.Any(c => c.Code == code);

    public IEnumerable<Concept> In(string system) => Concepts.Where(c => c.System == system);

    internal static ValueSet Read(JsonElement vs, IReadOnlyDictionary<string, IReadOnlyList<Concept>> codeSystems)
    {
        var url = vs.GetProperty("url").GetString()!;
        var concepts = new List<Concept>();
        if (!vs.TryGetProperty("compose", out var compose) || !compose.TryGetProperty("include", out var includes))
            throw new ConformancePackageException($"ValueSet {url} has no compose.include.");
        foreach (var include in includes.EnumerateArray())
        {
            var system = include.TryGetProperty("system", out var s) ? s.GetString() : null;
            if (system is null)
                throw new ConformancePackageException($"ValueSet {url}: an include without a system is not supported.");
            if (include.TryGetProperty("filter", out _) || include.TryGetProperty("valueSet", out _))
                throw new ConformancePackageException($"ValueSet {url}: filters and imported ValueSets are not supported.");
            if (include.TryGetProperty("concept", out var listed))
            {
                foreach (var c in listed.EnumerateArray())
                    concepts.Add(new Concept(system, c.GetProperty("code").GetString()!, c.TryGetProperty("display", out var d) ? d.GetString() : null));
            }
            else if (codeSystems.TryGetValue(system, out var all))
            {
                concepts.AddRange(all);
            }
            else
            {
                throw new ConformancePackageException($"ValueSet {url} includes all of {system}, which is not a CodeSystem of the package.");
            }
        }
        return new ValueSet(url, vs.TryGetProperty("title", out var t) ? t.GetString()! : url, concepts);
    }

    internal static IReadOnlyList<Concept> ReadCodeSystem(JsonElement cs)
    {
        var url = cs.GetProperty("url").GetString()!;
        return cs.TryGetProperty("concept", out var concepts)
            ? concepts.EnumerateArray().Select(c => new Concept(url, c.GetProperty("code").GetString()!, c.TryGetProperty("display", out var d) ? d.GetString() : null)).ToList()
            : [];
    }
}

/// <summary>The package's files contradict themselves or use what the validator cannot check; raised at load (start-up).</summary>
public sealed class ConformancePackageException(string message) : Exception(message);
