using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Snapshot;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace CmlCds.Conformance;

/// <summary>
/// The project's implementation guide (<c>fhir-profiles/*.json</c>) on top of the core FHIR R4 specification, for
/// Firely's validator: each StructureDefinition with the snapshot that Hl7.Fhir.Specification's
/// <see cref="SnapshotGenerator"/> makes of its differential, the ValueSets and CodeSystems as local terminology.
/// Loading costs seconds (the core specification, then a snapshot per profile); <c>Load</c> reports each
/// step through <c>progress</c>.
/// </summary>
public sealed class FirelyPackage
{
    public const string CanonicalBase = "http://cmlcds.org/fhir";

    /// <summary>The implementation guide's conformance resources, StructureDefinitions with their snapshots.</summary>
    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>The StructureDefinitions, by canonical URL, with generated snapshots.</summary>
    public IReadOnlyDictionary<string, StructureDefinition> Profiles { get; }

    /// <summary>The source file name of each resource, by <c>Type/id</c>.</summary>
    public IReadOnlyDictionary<string, string> SourceFiles { get; }

    /// <summary>Core R4 and the guide, cached.</summary>
    public IAsyncResourceResolver Resolver { get; }

    public TimeSpan LoadTime { get; }

    private FirelyPackage(IReadOnlyList<Resource> resources, IReadOnlyDictionary<string, string> sourceFiles, IAsyncResourceResolver resolver, TimeSpan loadTime)
    {
        Resources = resources;
        Profiles = resources.OfType<StructureDefinition>().ToDictionary(sd => sd.Url!, StringComparer.Ordinal);
        SourceFiles = sourceFiles;
        Resolver = resolver;
        LoadTime = loadTime;
    }

    /// <summary>A parser for conformance resources and instances: every element read, nothing dropped, errors reported.</summary>
    public static FhirJsonDeserializer Parser(bool validateAttributes = true) =>
        new(validateAttributes ? new DeserializerSettings() : new DeserializerSettings { Validator = null });

    public static FhirJsonSerializer Serializer { get; } = new();

    /// <summary>The published snapshots folder of <c>fhir-profiles/</c>, a FHIR NPM package.</summary>
    public const string SnapshotsFolder = "snapshots";

    /// <summary>The command that regenerates <c>fhir-profiles/snapshots/</c> (run from the repository root).</summary>
    public const string RegenerateCommand = "dotnet run --project src/CmlCds.Cli -- snapshots fhir-profiles";

    /// <summary>
    /// Reads every <c>*.json</c> of <paramref name="directory"/> (not its subfolders) and generates the snapshot of
    /// each StructureDefinition against core R4 and the other profiles of the folder.
    /// </summary>
    public static FirelyPackage Load(string directory, Action<string>? progress = null) => Load(ReadSources(directory), null, progress);

    /// <summary>
    /// A guide folder laid out as <c>fhir-profiles/</c>: its <c>*.json</c>, with the snapshots of its
    /// <c>snapshots/</c> subfolder where they are current (else generated).
    /// </summary>
    public static FirelyPackage LoadFolder(string directory, Action<string>? progress = null)
    {
        var snapshots = Path.Combine(directory, SnapshotsFolder);
        var published = Directory.Exists(snapshots) ? ReadSources(snapshots).ToDictionary(f => f.Name, f => f.Json, StringComparer.Ordinal) : null;
        return Load(ReadSources(directory), published, progress);
    }

    /// <summary>The <c>*.json</c> files of a folder (not its subfolders), by name, in order.</summary>
    public static IReadOnlyList<(string Name, string Json)> ReadSources(string directory) =>
        Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();

    /// <summary>
    /// The guide from its files. A StructureDefinition whose published form (<paramref name="published"/>, by file
    /// name: the snapshots folder) is the same resource with a snapshot is taken as published; any other has its
    /// snapshot generated, which takes seconds (<paramref name="progress"/> says so).
    /// </summary>
    public static FirelyPackage Load(IEnumerable<(string Name, string Json)> files, IReadOnlyDictionary<string, string>? published, Action<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        progress?.Invoke("Loading the core FHIR R4 specification (Hl7.Fhir.Specification.Data.R4)...");
        var core = CoreSpecification();

        var parser = Parser();
        var resources = new List<Resource>();
        var sourceFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = new HashSet<StructureDefinition>();
        foreach (var (name, json) in files)
        {
            var resource = Parse(parser, name, json);
            if (resource is not (StructureDefinition or ValueSet or CodeSystem)) continue;
            if (resource is StructureDefinition sd && published?.GetValueOrDefault(name) is { } snapshotJson
                && Parse(parser, $"{SnapshotsFolder}/{name}", snapshotJson) is StructureDefinition withSnapshot && IsSnapshotOf(withSnapshot, sd))
            {
                resource = withSnapshot;
                current.Add(withSnapshot);
            }
            resources.Add(resource);
            sourceFiles[$"{resource.TypeName}/{resource.Id}"] = name;
        }

        var local = new InMemoryResourceResolver(resources);
        var resolver = new CachedResolver(new MultiResolver(local, core));
        var generator = new SnapshotGenerator(resolver, new SnapshotGeneratorSettings { GenerateElementIds = true });
        // Base profiles first: a profile on one of ours takes the snapshot of that one.
        foreach (var sd in Ordered(resources.OfType<StructureDefinition>()).Where(sd => !current.Contains(sd)))
        {
            progress?.Invoke($"Generating the snapshot of {sd.Url} (the published one is missing or out of date)...");
            sd.Snapshot = null;
            generator.UpdateAsync(sd).GetAwaiter().GetResult();
            var errors = generator.Outcome?.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList() ?? [];
            if (errors.Count > 0)
                throw new FirelyPackageException($"The snapshot of {sd.Url} could not be generated: {string.Join("; ", errors.Select(e => e.Details?.Text ?? e.Diagnostics))}");
        }
        return new FirelyPackage(resources, sourceFiles, resolver, clock.Elapsed);
    }

    /// <summary>The guide built into this assembly: <c>fhir-profiles/*.json</c> and the published snapshots.</summary>
    public static FirelyPackage LoadEmbedded(Action<string>? progress = null)
    {
        var assembly = typeof(FirelyPackage).Assembly;
        string Read(string name)
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            return reader.ReadToEnd();
        }
        var names = assembly.GetManifestResourceNames().Order(StringComparer.Ordinal).ToList();
        var sources = names.Where(n => n.StartsWith("fhir-profiles/", StringComparison.Ordinal) && n.Count(c => c == '/') == 1)
            .Select(n => (Path.GetFileName(n), Read(n)));
        var published = names.Where(n => n.StartsWith($"fhir-profiles/{SnapshotsFolder}/", StringComparison.Ordinal))
            .ToDictionary(n => Path.GetFileName(n), Read, StringComparer.Ordinal);
        return Load(sources, published, progress);
    }

    /// <summary>
    /// The files of <c>fhir-profiles/snapshots/</c>, by name: every StructureDefinition with its snapshot, the
    /// ValueSets and CodeSystems as they are, <c>package.json</c> (FHIR NPM package) and <c>.index.json</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> PublishedFiles(IEnumerable<(string Name, string Json)> sources)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var index = new List<(string File, Resource Resource)>();
        foreach (var (name, json) in sources)
        {
            var resource = Resources.FirstOrDefault(r => SourceFiles.GetValueOrDefault($"{r.TypeName}/{r.Id}") == name);
            if (resource is null) continue;
            files[name] = resource is StructureDefinition sd ? PublishedJson(sd) : json.ReplaceLineEndings("\n");
            index.Add((name, resource));
        }
        files["package.json"] = PackageJson();
        files[".index.json"] = IndexJson(index);
        return files;
    }

    /// <summary>Is <paramref name="published"/> the StructureDefinition <paramref name="source"/> with a snapshot added?</summary>
    public static bool IsSnapshotOf(StructureDefinition published, StructureDefinition source)
    {
        if (published.Snapshot is null || published.Snapshot.Element.Count == 0) return false;
        var copy = (StructureDefinition)published.DeepCopy();
        copy.Snapshot = null;
        var original = (StructureDefinition)source.DeepCopy();
        original.Snapshot = null;
        return Serializer.SerializeToString(copy) == Serializer.SerializeToString(original);
    }

    private static Resource Parse(FhirJsonDeserializer parser, string name, string json)
    {
        try
        {
            return parser.DeserializeResource(json);
        }
        catch (DeserializationFailedException e)
        {
            throw new FirelyPackageException($"{name} is not a valid FHIR resource: {e.Message}");
        }
    }

    private string PackageJson()
    {
        var version = Resources.OfType<StructureDefinition>().Select(sd => sd.Version).FirstOrDefault(v => v is not null) ?? "0.1.0";
        var package = new JsonObject
        {
            ["name"] = "cmlcds.fhir",
            ["version"] = version,
            ["canonical"] = CanonicalBase,
            ["url"] = CanonicalBase,
            ["title"] = "CML CDS implementation guide",
            ["description"] = "Profiles (with snapshots), ValueSets and CodeSystems that the CML CDS service reads (FHIR R4).",
            ["fhirVersions"] = new JsonArray("4.0.1"),
            ["dependencies"] = new JsonObject { ["hl7.fhir.r4.core"] = "4.0.1" },
            ["author"] = "CML CDS",
            ["license"] = "CC0-1.0",
            ["type"] = "fhir.ig",
            ["jurisdiction"] = "http://unstats.un.org/unsd/methods/m49/m49.htm#001",
        };
        return package.ToJsonString(Indented) + "\n";
    }

    private static string IndexJson(List<(string File, Resource Resource)> index)
    {
        var files = new JsonArray();
        foreach (var (file, r) in index)
        {
            var entry = new JsonObject { ["filename"] = file, ["resourceType"] = r.TypeName, ["id"] = r.Id };
            switch (r)
            {
                case StructureDefinition sd:
                    entry["url"] = sd.Url; entry["version"] = sd.Version; entry["kind"] = sd.Kind?.ToString().ToLowerInvariant(); entry["type"] = sd.Type;
                    break;
                case ValueSet vs:
                    entry["url"] = vs.Url; entry["version"] = vs.Version;
                    break;
                case CodeSystem cs:
                    entry["url"] = cs.Url; entry["version"] = cs.Version;
                    break;
            }
            files.Add(entry);
        }
        return new JsonObject { ["index-version"] = 1, ["files"] = files }.ToJsonString(Indented) + "\n";
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Core R4 from Hl7.Fhir.Specification.Data.R4's specification.zip. Firely unpacks it once into a folder of the
    /// temp directory shared by every process, which is not safe for two processes at once (test projects run in
    /// parallel): the first access is made under a lock file, so one process unpacks and the others wait.
    /// </summary>
    private static ZipSource CoreSpecification()
    {
        var core = ZipSource.CreateValidationSource();
        var lockFile = Path.Combine(Path.GetTempPath(), "cmlcds-firely-specification.lock");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                using var gate = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                core.Prepare();
                return core;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>A StructureDefinition after the one of ours it derives from.</summary>
    private static IEnumerable<StructureDefinition> Ordered(IEnumerable<StructureDefinition> profiles)
    {
        var byUrl = profiles.ToDictionary(p => p.Url!, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<StructureDefinition>();
        void Visit(StructureDefinition sd)
        {
            if (!done.Add(sd.Url!)) return;
            if (sd.BaseDefinition is { } b && byUrl.TryGetValue(b, out var parent)) Visit(parent);
            order.Add(sd);
        }
        foreach (var sd in byUrl.Values.OrderBy(p => p.Url, StringComparer.Ordinal)) Visit(sd);
        return order;
    }

    /// <summary>The published form of a StructureDefinition with its snapshot: FHIR JSON, indented, one line ending.</summary>
    public static string PublishedJson(StructureDefinition sd) =>
        Serializer.SerializeToString(sd, pretty: true).ReplaceLineEndings("\n") + "\n";

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

public sealed class FirelyPackageException(string message) : Exception(message);
