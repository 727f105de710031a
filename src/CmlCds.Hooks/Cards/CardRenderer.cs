using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

/// <summary>A card as the audit records it: which topic, how urgent, and which rules made it.</summary>
public sealed record CardRules(string Uuid, string Topic, Indicator Indicator, IReadOnlyList<string> RuleIds);

public sealed record RenderedCards(CdsResponse Response, IReadOnlyList<CardRules> Cards);

/// <summary>
/// Findings → cards (clinical specification §10). Each card: a summary under 140 characters with the number and what it means;
/// a detail with the finding, the results used, the rule and guideline row, what to consider next, and the source.
/// At most one card per topic, ordered critical, warning, info. Warning and critical cards carry override reasons.
/// </summary>
public sealed partial class CardRenderer(ICardIds ids)
{
    private const int MaxEvidenceRows = 10;

    public CdsResponse Render(EvaluationResult evaluation, CardContext context) => RenderWithRules(evaluation, context).Response;

    /// <summary>The response, and for each card the rule ids of the finding behind it (for the audit; not sent to the client).</summary>
    public RenderedCards RenderWithRules(EvaluationResult evaluation, CardContext context)
    {
        var cards = new List<Card>();
        var rules = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var finding in evaluation.Findings)
        {
            var card = finding switch
            {
                AdvancedPhaseFinding a => AdvancedPhase(a, evaluation),
                ResponseFinding r => WithChartLink(Response(r, evaluation)),
                TherapyReviewFinding t => TherapyReview(t, evaluation.Get<DoseFinding>()),
                MutationAnalysisFinding m => MutationAnalysis(m, context),
                MonitoringOverdueFinding o => MonitoringOverdue(o, context),
                TfrEligibleFinding e => WithChartLink(TfrEligible(e)),
                TfrMonitoringFinding t => WithChartLink(TfrMonitoring(t, context)),
                TfrRelapseFinding r => WithChartLink(TfrRelapse(r, context)),
                OffTreatmentFinding o => OffTreatment(o, context),
                DataQualityFinding d => DataQuality(d),
                // the dose line goes inside the therapy-review card when there is one (one coherent "Next")
                DoseFinding d when evaluation.Get<TherapyReviewFinding>() is null => Dose(d),
                _ => null,
            };
            if (card is null || cards.Exists(c => c.Source.Topic == card.Source.Topic)) continue;
            cards.Add(card.Indicator == Indicator.Info ? card : card with { OverrideReasons = OverrideReasons.All });
            rules[card.Uuid!] = finding.RuleIds;
        }
        var ordered = cards.OrderByDescending(c => c.Indicator).ToList();
        return new RenderedCards(new CdsResponse(ordered), ordered.Select(c => new CardRules(c.Uuid!, c.Source.Topic!.Code, c.Indicator, rules[c.Uuid!])).ToList());
    }

    private Card NewCard(string summary, StringBuilder detail, Indicator indicator, CardSource source) => new()
    {
        Uuid = ids.NewUuid(),
        Summary = Markdown.Summary(summary),
        Detail = detail.ToString().TrimEnd(),
        Indicator = indicator,
        Source = source,
    };

    /// <summary>A one-suggestion card: create a draft resource the clinician can accept.</summary>
    private Card WithSuggestion(Card card, string label, string description, Resource resource, bool recommended) => card with
    {
        SelectionBehavior = SelectionBehavior.AtMostOne,
        Suggestions =
        [
            new Suggestion
            {
                Label = label,
                Uuid = ids.NewUuid(),
                IsRecommended = recommended,
                Actions = [new SuggestionAction { Type = ActionType.Create, Description = description, Resource = resource }],
            },
        ],
    };

    /// <summary>A draft, proposed ServiceRequest for a LOINC-coded test (clinical specification §4, §8).</summary>
    internal static ServiceRequest DraftOrder(CardContext context, string loinc, string text, string? reason) => new()
    {
        Status = "draft",
        Intent = "proposal",
        Code = new CodeableConcept(new Coding(Codes.Loinc, loinc), text),
        Subject = new Reference(context.PatientReference),
        ReasonReference = reason is null ? null : [new Reference(reason)],
    };

    /// <summary>The table of results a rule used (at most 10 rows: the latest ones).</summary>
    private static void ResultsTable(StringBuilder sb, IReadOnlyList<ScoredResult> results, TherapyLine? line)
    {
        var rows = results.Count <= MaxEvidenceRows ? results : results.Skip(results.Count - MaxEvidenceRows).ToList();
        var anyCaveat = rows.Any(r => r.SensitivityNote is not null);
        var headers = new List<string> { "Date", "BCR::ABL1 %IS", "Level", "Log reduction" };
        if (line is not null) headers.Add($"Months on {TkiNames.Name(line.Drug)}");
        Markdown.Table(sb, headers, rows.Select(r =>
        {
            var cells = new List<string>
            {
                Date(r.Date),
                r.Cell,
                (r.Level == ResponseLevel.None ? "—" : ResponseLevels.Label(r.Level)) + (r.SensitivityNote is null ? "" : " †"),
                double.IsInfinity(r.LogReduction) ? "—" : r.LogReduction.ToString("0.0", CultureInfo.InvariantCulture),
            };
            if (line is not null) cells.Add(ClinicalTime.FormatMonths(line.MonthsOn(r.Date)));
            return (IReadOnlyList<string>)cells;
        }));
        if (results.Count > rows.Count)
            sb.Append(CultureInfo.InvariantCulture, $"The latest {rows.Count} of {results.Count} results.\n\n");
        if (anyCaveat)
            sb.Append("† control-gene copies limit how this result can be read (Cross 2015): see the data-quality card.\n\n");
    }

    private static string Date(DateOnly d) => Fhir.FhirDate.Format(d);

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static string Meaning(DataQualityNote n) => DataQualityCodes.Meaning.GetValueOrDefault(n.Code, n.Code);

    /// <summary>"a", "a or b", "a, b or c".</summary>
    private static string OrList(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : $"{string.Join(", ", items.Take(items.Count - 1))} or {items[^1]}";
}
