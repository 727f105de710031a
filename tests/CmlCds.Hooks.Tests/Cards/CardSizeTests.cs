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

    [Fact]
    public void The_evidence_lines_stay_under_4_KB_for_100_other_medications_and_1000_dispenses()
    {
        var today = new DateOnly(2026, 6, 1);
        var resources = new List<Resource>
        {
            Fhir.Cml(),
            Fhir.Tki("da", Fhir.Atc("L01EA02"), "2024-01-01"),
            Fhir.BcrAbl1("b1", "2024-07-01", "12"), Fhir.BcrAbl1("b2", "2026-05-20", "8"),
        };
        var names = Clinical.Rules.InteractionTable.Drugs.Select(d => d.Name).ToList();
        for (var i = 0; i < 100; i++)
            resources.Add(Fhir.Tki($"m{i}", i % 2 == 0 ? $$$"""{"text":"{{{names[i % names.Count]}}} tablet {{{i}}}"}""" : $$$"""{"text":"unknown drug number {{{i}}}"}""", "2025-01-01"));
        for (var i = 0; i < 1000; i++)
            resources.Add(Fhir.Parse<MedicationDispense>($$$"""
                {"resourceType":"MedicationDispense","id":"d{{{i}}}","status":"completed","medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA02"}]},
                 "subject":{"reference":"Patient/p1"},"whenHandedOver":"{{{today.AddDays(-1 - 3 * i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}}}",
                 "daysSupply":{"value":1,"unit":"days","system":"http://unitsofmeasure.org","code":"d"}}
                """));
        var history = PatientHistoryMapper.Map(resources, today);
        var cards = new CardRenderer(new RandomCardIds()).Render(CmlEvaluator.Evaluate(history, new EvaluationSettings(), today), new CardContext("p1")).Cards;
        var review = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.TherapyReview.Code);
        Assert.Contains("Adherence concern", review.Detail);
        Assert.Contains("more.", review.Detail);
        Assert.All(cards, c => Assert.True(System.Text.Encoding.UTF8.GetByteCount(c.Detail ?? "") < 4096,
            $"{c.Source.Topic!.Code}: {System.Text.Encoding.UTF8.GetByteCount(c.Detail ?? "")} bytes"));
        Assert.All(cards, c => Assert.InRange(c.Summary.Length, 1, 139));
    }
}
