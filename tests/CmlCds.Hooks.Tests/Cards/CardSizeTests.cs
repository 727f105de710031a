using CmlCds.Clinical.Evaluation;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Hooks.Tests.Cards;

/// <summary>Every list in a card is bounded (at most 10 rows, then how many more): a card stays under 4 KB whatever the input (§10).</summary>
public class CardSizeTests
{
    [Fact]
    public void Every_detail_stays_under_4_KB_for_a_chart_of_100000_entries()
    {
        var today = new DateOnly(2026, 6, 1);
        var resources = new List<Resource>
        {
            Fhir.Cml(),
            Fhir.Tki("im", Fhir.Atc("L01EA01"), "2018-01-01"),
        };
        // 100,000 entries: unrelated observations, results not on the IS, same-day pairs, results without copies.
        for (var i = 0; i < 25_000; i++)
        {
            var date = today.AddDays(-1 - i % 2900).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            resources.Add(Fhir.BcrAbl1($"other-{i}", date, "1", code: "2345-7"));
            resources.Add(Fhir.BcrAbl1($"nonis-{i}", date, "0.5", code: "46434-7"));
            resources.Add(Fhir.BcrAbl1($"a-{i}", date, i % 2 == 0 ? "0.06" : "0.6"));
            resources.Add(Fhir.BcrAbl1($"u-{i}", date, "0.0032", comparator: "<"));
        }
        var history = PatientHistoryMapper.Map(resources, today);
        var evaluation = CmlEvaluator.Evaluate(history, new EvaluationSettings(), today);
        var cards = new CardRenderer(new RandomCardIds()).Render(evaluation, new CardContext("p1")).Cards;
        Assert.Contains(cards, c => c.Source.Topic!.Code == CardTopics.DataQuality.Code);
        Assert.All(cards, c => Assert.True(System.Text.Encoding.UTF8.GetByteCount(c.Detail ?? "") < 4096,
            $"{c.Source.Topic!.Code}: {System.Text.Encoding.UTF8.GetByteCount(c.Detail ?? "")} bytes"));
        Assert.All(cards, c => Assert.InRange(c.Summary.Length, 1, 139));
    }
}
