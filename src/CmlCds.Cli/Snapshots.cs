using CmlCds.Conformance;

namespace CmlCds.Cli;

/// <summary>
/// `cmlcds snapshots fhir-profiles`: generates every profile's snapshot from its differential and rewrites
/// <c>fhir-profiles/snapshots/</c> (a FHIR NPM package: the profiles with snapshots, the ValueSets, CodeSystems,
/// package.json and .index.json). A test fails when the folder is not what this writes.
/// </summary>
public static class Snapshots
{
    public static int Write(string profilesDirectory, TextWriter progress)
    {
        var sources = FirelyPackage.ReadSources(profilesDirectory);
        var package = FirelyPackage.Load(sources, null, m => progress.WriteLine($"cmlcds snapshots: {m}"));
        var target = Path.Combine(profilesDirectory, FirelyPackage.SnapshotsFolder);
        Directory.CreateDirectory(target);
        var files = package.PublishedFiles(sources);
        foreach (var stale in Directory.GetFiles(target).Where(f => !files.ContainsKey(Path.GetFileName(f))))
            File.Delete(stale);
        foreach (var (name, content) in files)
            File.WriteAllText(Path.Combine(target, name), content);
        return files.Count;
    }
}
