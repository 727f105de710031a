using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Fhir.Conformance;
using CmlCds.Fhir.Json;

namespace CmlCds.Fhir.Tests.Conformance;

/// <summary>The implementation guide in fhir-profiles/ as the validator loads it.</summary>
public class ConformancePackageTests
{
    private const string Base = "http://cmlcds.org/fhir/";
    private static readonly ConformancePackage Package = ConformancePackage.Embedded;

    [Fact]
    public void The_embedded_package_is_the_fhir_profiles_folder()
    {
        var folder = ConformancePackage.LoadDirectory(ProfileFiles.Directory);
        Assert.Equal(folder.Profiles.Keys.Order(), Package.Profiles.Keys.Order());
        Assert.Equal(folder.ValueSets.Keys.Order(), Package.ValueSets.Keys.Order());
        Assert.Equal(folder.CodeSystems.Keys.Order(), Package.CodeSystems.Keys.Order());
        foreach (var (url, vs) in folder.ValueSets)
            Assert.Equal(vs.Concepts, Package.ValueSets[url].Concepts);
        Assert.Equal(6, Package.Profiles.Count);
    }

    [Fact]
    public void Every_definition_has_a_canonical_url_under_one_base_matching_its_file_name()
    {
        foreach (var file in Directory.GetFiles(ProfileFiles.Directory, "*.json"))
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            var type = (string)json["resourceType"]!;
            var id = (string)json["id"]!;
            Assert.Equal($"{type}-{id}.json", Path.GetFileName(file));
            Assert.Equal($"{Base}{type}/{id}", (string?)json["url"]);
            Assert.Equal("0.1.0", (string?)json["version"]);
        }
    }

    public static TheoryData<string> ExampleNames() => new(ProfileFiles.Examples().Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Every_example_passes_the_profiles_it_claims_read_as_JSON_and_as_the_model(string name)
    {
        var json = ProfileFiles.Example(name);
        foreach (var profile in json["meta"]?["profile"]?.AsArray().Select(p => (string)p!) ?? [])
        {
            Assert.Empty(Package.Validate(ProfileFiles.Element(json), profile));
            Assert.Empty(Package.Validate(FhirJson.Parse(json.ToJsonString()), profile));
        }
    }

    [Fact]
    public void Every_profile_has_an_example()
    {
        var claimed = ProfileFiles.Examples().Select(f => ProfileFiles.Example(Path.GetFileName(f)))
            .SelectMany(j => j["meta"]?["profile"]?.AsArray().Select(p => (string)p!) ?? []).ToHashSet();
        Assert.All(Package.Profiles.Keys, url => Assert.Contains(url, claimed));
    }

    [Fact]
    public void The_guides_README_has_a_row_for_every_code_of_every_CodeSystem_ValueSet_and_profile_pattern()
    {
        var rows = File.ReadAllLines(Path.Combine(ProfileFiles.Directory, "README.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        var patterns = Package.Profiles.Values.SelectMany(p => p.Elements).Select(e => e.Pattern).OfType<JsonElement>()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("coding", out _))
            .SelectMany(p => p.GetProperty("coding").EnumerateArray())
            .Select(c => new Concept(c.GetProperty("system").GetString()!, c.GetProperty("code").GetString()!, null));
        var codes = Package.CodeSystems.Values.SelectMany(c => c).Concat(Package.ValueSets.Values.SelectMany(v => v.Concepts)).Concat(patterns)
            .Select(c => (c.System, c.Code)).Distinct().ToList();
        Assert.All(codes, c => Assert.True(rows.Exists(r => r.StartsWith($"| `{c.Code}` |", StringComparison.Ordinal)), $"README.md has no row for {c.System}|{c.Code}"));
        Assert.True(codes.Count <= rows.Count);
    }

    [Fact]
    public void A_resource_of_another_type_fails_at_the_root()
    {
        var condition = ProfileFiles.Element(ProfileFiles.Example("Condition-cml-example.json"));
        var v = Assert.Single(Package.Validate(condition, Base + "StructureDefinition/cml-bcr-abl1-is-result"));
        Assert.Equal(("Observation", ViolationKind.Type), (v.ElementId, v.Kind));
    }

    [Fact]
    public void A_required_binding_to_a_ValueSet_not_in_the_package_is_refused_at_load()
    {
        var e = Assert.Throws<ConformancePackageException>(() => Load(Profile("""
            {"id":"Observation.code","path":"Observation.code","binding":{"strength":"required","valueSet":"http://example.org/ValueSet/missing"}}
            """)));
        Assert.Contains("http://example.org/ValueSet/missing", e.Message);
    }

    [Fact]
    public void A_slice_the_validator_cannot_tell_apart_is_refused_at_load()
    {
        var e = Assert.Throws<ConformancePackageException>(() => Load(Profile("""
            {"id":"Observation.component","path":"Observation.component","slicing":{"discriminator":[{"type":"pattern","path":"code"}],"rules":"open"}},
            {"id":"Observation.component:x","path":"Observation.component","sliceName":"x","min":0,"max":"1"}
            """)));
        Assert.Contains("Observation.component:x", e.Message);
        Assert.Contains("discriminator path 'code'", e.Message);
    }

    [Fact]
    public void A_ValueSet_that_includes_a_whole_unknown_CodeSystem_is_refused_at_load()
    {
        var e = Assert.Throws<ConformancePackageException>(() => Load(("ValueSet-x.json", """
            {"resourceType":"ValueSet","id":"x","url":"http://example.org/ValueSet/x","compose":{"include":[{"system":"http://loinc.org"}]}}
            """)));
        Assert.Contains("http://loinc.org", e.Message);
    }

    [Fact]
    public void A_fixed_complex_value_admits_nothing_more_while_a_pattern_does()
    {
        var package = Load(Profile("""
            {"id":"Observation.code","path":"Observation.code","fixedCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]}},
            {"id":"Observation.category","path":"Observation.category","patternCodeableConcept":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}}
            """));
        var observation = ProfileFiles.Example("Observation-bcr-abl1-is-example.json");
        var violations = package.Validate(ProfileFiles.Element(observation), "http://example.org/StructureDefinition/p");
        // The example's code has a text besides the coding: not the fixed value. Its category holds the pattern.
        var v = Assert.Single(violations);
        Assert.Equal(("Observation.code", ViolationKind.FixedValue), (v.ElementId, v.Kind));
        observation["code"]!.AsObject().Remove("text");
        Assert.Empty(package.Validate(ProfileFiles.Element(observation), "http://example.org/StructureDefinition/p"));
    }

    [Fact]
    public void Slices_told_apart_by_a_pattern_other_than_one_coding_are_matched_in_profile_order()
    {
        // Not the one-coding shape the validator indexes: each item is tried against each slice's pattern in turn.
        var package = Load(Profile("""
            {"id":"Observation.component","path":"Observation.component","slicing":{"discriminator":[{"type":"pattern","path":"code"}],"rules":"closed"}},
            {"id":"Observation.component:copies","path":"Observation.component","sliceName":"copies","min":1,"max":"1"},
            {"id":"Observation.component:copies.code","path":"Observation.component.code","patternCodeableConcept":{"text":"copies"}},
            {"id":"Observation.component:copies.value[x]","path":"Observation.component.value[x]","type":[{"code":"integer"}]}
            """));
        const string url = "http://example.org/StructureDefinition/p";
        JsonNode Component(string text, string value) => JsonNode.Parse($$"""{"code":{"text":"{{text}}"},{{value}}}""")!;
        var observation = ProfileFiles.Example("Observation-bcr-abl1-is-example.json");
        observation["component"] = new JsonArray(Component("copies", "\"valueInteger\":5"));
        Assert.Empty(package.Validate(ProfileFiles.Element(observation), url));

        observation["component"] = new JsonArray(Component("copies", "\"valueInteger\":5"), Component("copies", "\"valueString\":\"x\""), Component("volume", "\"valueInteger\":1"));
        var violations = package.Validate(ProfileFiles.Element(observation), url).Select(v => (v.ElementId, v.Kind)).ToList();
        Assert.Equal(
            [("Observation.component:copies.value[x]", ViolationKind.Type), ("Observation.component", ViolationKind.ClosedSlicing), ("Observation.component:copies", ViolationKind.Cardinality)],
            violations);
    }

    private static (string, string) Profile(string elements) => ("StructureDefinition-p.json", $$$"""
        {"resourceType":"StructureDefinition","id":"p","url":"http://example.org/StructureDefinition/p","title":"P","type":"Observation",
         "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Observation","derivation":"constraint",
         "differential":{"element":[{"id":"Observation","path":"Observation"},{{{elements}}}]}}
        """);

    private static ConformancePackage Load(params (string Name, string Json)[] files) =>
        ConformancePackage.Load(files.Select(f => (f.Name, Encoding.UTF8.GetBytes(f.Json))));
}
