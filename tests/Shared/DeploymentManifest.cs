using System.Globalization;
using System.Text.RegularExpressions;

namespace CmlCds.Tests.Shared;

/// <summary>
/// How deploy/kubernetes/deployment.yaml runs the service, read from the manifest so that what the tests and the
/// benchmarks call "as deployed" cannot drift from it: the container's literal environment variables (name and quoted
/// value pairs; the ConfigMap and Secret hold the service's settings, not runtime knobs) and its memory limit. A manifest
/// whose shape this does not read is refused rather than read as an empty environment. Linked into the API tests and the
/// benchmarks.
/// </summary>
public sealed record DeploymentManifest(IReadOnlyDictionary<string, string> Environment, long MemoryLimitMiB)
{
    /// <summary>The variables every reading must find: the ones the service's memory and speed were measured with.</summary>
    private static readonly string[] Required = ["DOTNET_gcServer", "MALLOC_ARENA_MAX"];

    /// <summary>
    /// The GC heap limit .NET sets itself in a container with <see cref="MemoryLimitMiB"/> (75% of it), as the value of
    /// <c>DOTNET_GCHeapHardLimit</c>.
    /// </summary>
    public string HeapHardLimit => $"0x{MemoryLimitMiB * 1024 * 1024 * 3 / 4:X}";

    public static DeploymentManifest Read(string repoRoot)
    {
        var path = Path.Combine(repoRoot, "deploy", "kubernetes", "deployment.yaml");
        var yaml = File.ReadAllText(path).ReplaceLineEndings("\n");
        var environment = Regex.Matches(yaml, @"- name: (\w+)\n\s+value: ""([^""]*)""")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        if (Required.FirstOrDefault(name => !environment.ContainsKey(name)) is { } missing)
            throw new InvalidOperationException($"{path}: no {missing} read from the container's env (read: {string.Join(", ", environment.Keys)})");
        var limit = Regex.Match(yaml, @"limits:\n\s+memory: (\d+)Mi\n");
        if (!limit.Success) throw new InvalidOperationException($"{path}: no memory limit in Mi read from the container's resources");
        return new DeploymentManifest(environment, long.Parse(limit.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
