using System.Text.Json.Nodes;
using CmlCds.Conformance;
using CmlCds.Fhir.Tests.Conformance;
using Hl7.Fhir.Model;

namespace CmlCds.Conformance.Tests;

/// <summary>
/// fhir-profiles/snapshots/ is what the snapshot generator makes of the differentials now (so HAPI or the HL7
/// validator reading the package sees what the project's profiles say), and is a FHIR NPM package.
/// </summary>
[Collection(FirelyCollection.Name)]
public class SnapshotTests(FirelyFixtureHandle handle)
{
    private readonly FirelyFixture _f = handle.Fixture;
    private static string Folder => Path.Combine(ProfileFiles.Directory, FirelyPackage.SnapshotsFolder);

    [Fact]
    public void The_published_snapshots_are_the_ones_generated_from_the_differentials_now()
    {
        var expected = _f.Package.PublishedFiles(_f.Sources);
        var actual = Directory.Exists(Folder)
            ? Directory.GetFiles(Folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : [];
        var stale = expected.Where(e => actual.GetValueOrDefault(e.Key) != e.Value).Select(e => e.Key)
            .Concat(actual.Keys.Where(k => !expected.ContainsKey(k))).Order(StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0,
            $"fhir-profiles/snapshots/ is out of date ({string.Join(", ", stale)}); regenerate it from the repository root with: {FirelyPackage.RegenerateCommand}");
    }

    [Fact]
    public void The_guide_README_gives_the_one_regeneration_command()
    {
        var readme = File.ReadAllText(Path.Combine(ProfileFiles.Directory, "README.md"));
        Assert.Contains(FirelyPackage.RegenerateCommand, readme);
    }

    [Fact]
    public void Every_profile_has_a_snapshot_holding_each_element_of_its_differential()
    {
        var profiles = _f.Package.Profiles.Values.ToList();
        Assert.Equal(_f.Sources.Count(s => s.Name.StartsWith("StructureDefinition-", StringComparison.Ordinal)), profiles.Count);
        foreach (var sd in profiles)
        {
            var ids = sd.Snapshot!.Element.Select(e => e.ElementId).ToHashSet(StringComparer.Ordinal);
            Assert.All(sd.Differential!.Element, e => Assert.True(ids.Contains(e.ElementId), $"{sd.Url}: {e.ElementId} is not in the snapshot"));
            // The snapshot carries the differential's constraints, e.g. a min of 1 on subject.
            foreach (var d in sd.Differential.Element.Where(d => d.Min is not null))
                Assert.Equal(d.Min, sd.Snapshot.Element.Single(e => e.ElementId == d.ElementId).Min);
        }
    }

    [Fact]
    public void The_package_json_is_a_FHIR_NPM_package_of_R4_and_indexes_every_file()
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")))!;
        Assert.Equal("cmlcds.fhir", (string?)package["name"]);
        Assert.Matches(@"^\d+\.\d+\.\d+$", (string?)package["version"]);
        Assert.Equal(["4.0.1"], package["fhirVersions"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("4.0.1", (string?)package["dependencies"]!["hl7.fhir.r4.core"]);
        Assert.Equal(FirelyPackage.CanonicalBase, (string?)package["canonical"]);

        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, ".index.json")))!["files"]!.AsArray();
        var resources = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Where(n => n is not ("package.json" or ".index.json")).Order(StringComparer.Ordinal);
        Assert.Equal(resources, index.Select(e => (string?)e!["filename"]).Order(StringComparer.Ordinal));
        Assert.All(index.Where(e => (string?)e!["resourceType"] == "StructureDefinition"),
            e => Assert.StartsWith(FirelyPackage.CanonicalBase + "/StructureDefinition/", (string?)e!["url"]));
    }

    [Fact]
    public void A_published_snapshot_of_an_older_differential_is_not_taken_as_current()
    {
        var sd = _f.Package.Profiles.Values.First();
        var source = (StructureDefinition)sd.DeepCopy();
        Assert.True(FirelyPackage.IsSnapshotOf(sd, source));
        source.Differential!.Element[^1].Short = "changed after the snapshot was published";
        Assert.False(FirelyPackage.IsSnapshotOf(sd, source));
    }
}
