using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;

namespace CmlCds.Hooks.Tests.Service;

/// <summary>Issue 17 item 5: a card's detail has a size budget; long tables lose rows from their end, said in the card.</summary>
public class ResponseBudgetTests
{
    private static string Detail(int rows) =>
        "**Set aside**\n\n| Date | Why |\n|---|---|\n" + string.Join('\n', Enumerable.Range(0, rows).Select(i => $"| 2026-01-{i % 28 + 1:D2} | not a BCR::ABL1 result |")) +
        "\n\nSource: the service's data checks.";

    [Fact]
    public void A_detail_within_the_budget_is_unchanged()
    {
        var detail = Detail(10);
        Assert.Equal(detail, ResponseBudget.Shorten(detail, ResponseBudget.MaxDetailCharacters));
        var response = new CdsResponse([Card(detail)]);
        Assert.Same(response, ResponseBudget.Apply(response));
    }

    [Fact]
    public void A_table_of_100000_rows_keeps_its_head_the_text_after_it_and_says_how_many_rows_are_not_shown()
    {
        var shortened = ResponseBudget.Apply(new CdsResponse([Card(Detail(100_000))])).Cards[0].Detail!;
        Assert.True(shortened.Length <= ResponseBudget.MaxDetailCharacters, $"{shortened.Length} characters");
        Assert.StartsWith("**Set aside**\n\n| Date | Why |\n|---|---|\n| 2026-01-01 |", shortened, StringComparison.Ordinal);
        Assert.Equal(ResponseBudget.KeptRows, shortened.Split('\n').Count(l => l.StartsWith("| 2026", StringComparison.Ordinal)));
        Assert.Contains("*99,950 more rows not shown: the list is longer than a card can hold.*", shortened, StringComparison.Ordinal);
        Assert.EndsWith("Source: the service's data checks.", shortened, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_without_tables_is_cut_at_a_line()
    {
        var detail = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"line {i} of text"));
        var shortened = ResponseBudget.Shorten(detail, 1000);
        Assert.True(shortened.Length <= 1000);
        Assert.EndsWith("\n\n*The rest is not shown: it is longer than a card can hold.*", shortened, StringComparison.Ordinal);
        Assert.Contains("\nline 3 of text\n", shortened, StringComparison.Ordinal);
    }

    private static Card Card(string detail) => new()
    {
        Summary = "Data quality", Detail = detail, Indicator = Indicator.Info, Source = new CardSource { Label = "CML CDS" },
    };
}
