using System.Text.Json;
using System.Text.Json.Nodes;

namespace CmlCds.Fhir.Tests.Conformance;

/// <summary>The repository's fhir-profiles/ folder and its examples.</summary>
internal static class ProfileFiles
{
    public static string Directory { get; } = Find();

    public static string ExamplesDirectory => Path.Combine(Directory, "examples");

    public static IEnumerable<string> Examples() =>
        System.IO.Directory.GetFiles(ExamplesDirectory, "*.json").Order(StringComparer.Ordinal);

    public static JsonObject Example(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(ExamplesDirectory, name)))!.AsObject();

    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fhir-profiles");
            if (System.IO.Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "CmlCds.sln"))) return candidate;
        }
        throw new DirectoryNotFoundException("fhir-profiles/ not found above " + AppContext.BaseDirectory);
    }
}
