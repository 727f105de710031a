using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Clinical;

namespace CmlCds.Api.Tests;

/// <summary>Every rule id the service emits is in the catalogue and stated in docs/clinical-specification.md.</summary>
public partial class RuleCatalogueTests
{
    [GeneratedRegex(@"\*\*Rule\*\* (`[^`]+`(?:, `[^`]+`)*)")]
    private static partial Regex RuleLine();

    [Fact]
    public void Every_rule_id_in_the_catalogue_is_in_the_clinical_specification()
    {
        var spec = File.ReadAllText(Path.Combine(Repo.Root, "docs", "clinical-specification.md"));
        Assert.All(RuleCatalogue.All, id => Assert.Contains($"| `{id}` |", spec));
    }

    [Fact]
    public void Every_rule_id_a_golden_card_names_is_in_the_catalogue()
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "cds-hooks"), "response.json", SearchOption.AllDirectories))
            foreach (var card in JsonNode.Parse(File.ReadAllText(file))!["cards"]!.AsArray())
                foreach (Match m in RuleLine().Matches((string?)card!["detail"] ?? ""))
                    foreach (var id in m.Groups[1].Value.Split(", ").Select(s => s.Trim('`')))
                        named.Add(id);
        Assert.True(named.Count >= 20, $"only {named.Count} rule ids found in the goldens");
        Assert.All(named, id => Assert.Contains(id, RuleCatalogue.All));
    }
}
