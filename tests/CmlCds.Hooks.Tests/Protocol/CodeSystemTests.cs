using System.Text.Json.Nodes;
using CmlCds.Clinical.Patients;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Hooks.Tests.Protocol;

/// <summary>The CodeSystems in fhir-profiles/ and the codes the service emits are the same lists.</summary>
public class CodeSystemTests
{
    private static JsonNode Load(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "fhir-profiles", $"CodeSystem-{name}.json");
            if (File.Exists(path)) return JsonNode.Parse(File.ReadAllText(path))!;
        }
        throw new FileNotFoundException(name);
    }

    private static Dictionary<string, string> Concepts(JsonNode cs) =>
        cs["concept"]!.AsArray().ToDictionary(c => (string)c!["code"]!, c => (string)c!["display"]!);

    [Fact]
    public void Card_topic_CodeSystem_matches_the_topics_cards_use()
    {
        var cs = Load("card-topic");
        Assert.Equal(Codes.CardTopicSystem, (string?)cs["url"]);
        var concepts = Concepts(cs);
        Assert.Equal(CardTopics.All.Select(t => t.Code).Order(), concepts.Keys.Order());
        Assert.All(CardTopics.All, t => Assert.Equal(concepts[t.Code], t.Display));
    }

    [Fact]
    public void Data_quality_CodeSystem_lists_every_code_with_its_meaning()
    {
        var cs = Load("data-quality");
        Assert.Equal(Codes.DataQualitySystem, (string?)cs["url"]);
        var concepts = Concepts(cs);
        Assert.Equal(DataQualityCodes.Meaning.Keys.Order(), concepts.Keys.Order());
        Assert.All(DataQualityCodes.Meaning, kv => Assert.Equal(kv.Value, concepts[kv.Key], ignoreCase: true));
    }

    [Fact]
    public void Req100_136_override_reason_CodeSystem_matches_the_reasons_cards_offer_each_with_a_display()
    {
        var cs = Load("override-reason");
        Assert.Equal(OverrideReasons.System, (string?)cs["url"]);
        var concepts = Concepts(cs);
        Assert.Equal(OverrideReasons.All.Select(r => r.Code).Order(), concepts.Keys.Order());
        Assert.All(OverrideReasons.All, r => Assert.Equal(concepts[r.Code], r.Display));
        Assert.All(OverrideReasons.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Display)));
    }

    [Fact]
    public void Component_CodeSystem_has_the_codes_the_mapper_reads()
    {
        var cs = Load("observation-component");
        Assert.Equal(Codes.ComponentSystem, (string?)cs["url"]);
        Assert.Equal([Codes.ComponentAbl1Copies, Codes.ComponentGusbCopies, Codes.ComponentTranscriptType], Concepts(cs).Keys.Order());
    }
}
