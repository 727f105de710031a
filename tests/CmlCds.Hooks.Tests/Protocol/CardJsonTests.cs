using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Tests.Protocol;

/// <summary>Card JSON per CDS Hooks 2.0 (requirement ids from service-requirements.tsv).</summary>
public class CardJsonTests
{
    private static JsonNode Write(CdsResponse r) => JsonNode.Parse(JsonSerializer.Serialize(r, CdsHooksJson.Response))!;

    private static Card Minimal() => new()
    {
        Summary = "s",
        Indicator = Indicator.Info,
        Source = new CardSource { Label = "ELN 2020" },
    };

    [Fact]
    public void Req3_77_no_guidance_is_an_empty_cards_array() => Assert.Equal("""{"cards":[]}""", JsonSerializer.Serialize(CdsResponse.Empty, CdsHooksJson.Response));

    [Fact]
    public void Req3_null_and_empty_members_are_omitted()
    {
        var card = Minimal() with { Suggestions = [], Links = [], OverrideReasons = [] };
        var json = Write(new CdsResponse([card]))["cards"]![0]!.AsObject();
        Assert.Equal(["summary", "indicator", "source"], json.Select(p => p.Key));
    }

    [Fact]
    public void Req3_unset_optional_lists_are_omitted_not_written_as_null() =>
        Assert.Equal(["summary", "indicator", "source"], Write(new CdsResponse([Minimal()]))["cards"]![0]!.AsObject().Select(p => p.Key));

    [Theory]
    [InlineData(Indicator.Info, "info")]
    [InlineData(Indicator.Warning, "warning")]
    [InlineData(Indicator.Critical, "critical")]
    public void Req87_88_indicator_is_a_spec_string(Indicator indicator, string expected) =>
        Assert.Equal(expected, (string?)Write(new CdsResponse([Minimal() with { Indicator = indicator }]))["cards"]![0]!["indicator"]);

    [Fact]
    public void Req93_95_127_130_suggestion_members_use_spec_strings_and_embed_FHIR()
    {
        var card = Minimal() with
        {
            SelectionBehavior = SelectionBehavior.AtMostOne,
            Suggestions = [new Suggestion
            {
                Label = "Order",
                Uuid = "u1",
                Actions = [new SuggestionAction { Type = ActionType.Create, Description = "d", Resource = new ServiceRequest { Status = "draft", Intent = "proposal" } }],
            }],
        };
        var json = Write(new CdsResponse([card]))["cards"]![0]!;
        Assert.Equal("at-most-one", (string?)json["selectionBehavior"]);
        Assert.Equal("create", (string?)json["suggestions"]![0]!["actions"]![0]!["type"]);
        Assert.Equal("ServiceRequest", (string?)json["suggestions"]![0]!["actions"]![0]!["resource"]!["resourceType"]);
    }

    [Fact]
    public void Req141_142_link_type_is_absolute_or_smart()
    {
        var card = Minimal() with { Links = [new CardLink { Label = "l", Url = "https://x.org", Type = LinkType.Smart, AppContext = "a" }] };
        Assert.Equal("smart", (string?)Write(new CdsResponse([card]))["cards"]![0]!["links"]![0]!["type"]);
    }

    [Fact]
    public void Req115_216_217_card_topics_are_codings_with_system_and_code()
    {
        Assert.Equal(13, CardTopics.All.Count);
        Assert.All(CardTopics.All, t =>
        {
            Assert.False(string.IsNullOrEmpty(t.Code));
            Assert.Equal("http://cmlcds.org/fhir/CodeSystem/card-topic", t.System);
        });
        Assert.Equal(CardTopics.All.Count, CardTopics.All.Select(t => t.Code).Distinct().Count());
    }

    [Fact]
    public void Req83_summary_is_kept_under_140_characters()
    {
        Assert.Equal(139, Markdown.Summary(new string('x', 200)).Length);
        Assert.Equal(139, Markdown.Summary(new string('x', 139)).Length);
    }
}
