using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

/// <summary>
/// Findings → cards (RULES.md §10). Each card: a summary under 140 characters with the number and what it means;
/// a detail with the finding, the results used, the rule and guideline row, what to consider next, and the source.
/// At most one card per topic, ordered critical, warning, info.
/// </summary>
public sealed class CardRenderer(ICardIds ids)
{
    private const int MaxEvidenceRows = 10;

    public CdsResponse Render(EvaluationResult evaluation)
    {
        var cards = new List<Card>();
        var newerSetAside = evaluation.Get<DataQualityFinding>()?.LatestResultSetAside;
        foreach (var finding in evaluation.Findings)
        {
            var card = finding switch
            {
                ResponseFinding r => Response(r, newerSetAside),
                DataQualityFinding d => DataQuality(d),
                _ => null,
            };
            if (card is not null && !cards.Exists(c => c.Source.Topic == card.Source.Topic)) cards.Add(card);
        }
        return new CdsResponse(cards.OrderByDescending(c => c.Indicator).ToList());
    }

    private Card Response(ResponseFinding f, DataQualityNote? newerSetAside)
    {
        var drug = TkiNames.Name(f.Line.Drug);
        var months = ClinicalTime.FormatMonths(f.MonthsOnTki);
        var level = f.Latest.Level == ResponseLevel.None ? "" : $" ({ResponseLevels.Label(f.Latest.Level)})";
        var (what, topic, indicator) = f.Category switch
        {
            ResponseCategory.Optimal => ("optimal response", CardTopics.ResponseOptimal, Indicator.Info),
            ResponseCategory.Warning => ("warning", CardTopics.ResponseWarning, Indicator.Warning),
            _ => ("treatment failure", CardTopics.ResponseFailure, Indicator.Critical),
        };
        var qualifier = f.RuleIds.Any(r => r.EndsWith(".resistance-mutation", StringComparison.Ordinal)) ? "kinase domain mutation, "
            : f.RuleIds.Any(r => r.EndsWith(".loss-of-mmr", StringComparison.Ordinal)) ? "loss of MMR, "
            : f.RuleIds.Contains("eln2020.milestone.3m.confirmed") ? "confirmed " : "";
        var by = f.Colour is { } colour ? $"NCCN {NccnMilestones.Name(colour)}" : Sources.Label(f.Guideline);
        var summary = $"BCR::ABL1 {f.Latest.Result.Display}% IS{level} at {months} months on {drug}: {qualifier}{what} ({by})";

        var sb = new StringBuilder();
        var milestone = f.Milestone is { } m ? $"the {MilestoneWindows.Adjective(m)} milestone" : "no milestone yet (before day 70)";
        sb.Append(CultureInfo.InvariantCulture, $"**{Capitalise(what)}** by {Sources.Label(f.Guideline)} at {milestone}: BCR::ABL1 {f.Latest.Result.Display}% IS on {Date(f.Latest.Date)}, {months} months after starting {drug} (line {f.Line.Number}, started {Date(f.Line.Start)}).\n\n");
        EvidenceTable(sb, f);
        if (newerSetAside is { Date: { } setAsideOn })
            sb.Append(CultureInfo.InvariantCulture, $"**Note**: a later BCR::ABL1 result ({Date(setAsideOn)}) was set aside ({DataQualityCodes.Meaning.GetValueOrDefault(newerSetAside.Code, newerSetAside.Code)}) and is not in this assessment: see the data-quality card.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{string.Join("`, `", f.RuleIds)}`: {Sources.Label(f.Guideline)} milestones, {f.RowText}.\n\n");
        foreach (var reason in f.Reasons) sb.Append("- ").Append(reason).Append('\n');
        if (f.Reasons.Count > 0) sb.Append('\n');
        sb.Append("**Next**: ").Append(NextSteps(f.Category)).Append("\n\n");
        sb.Append("Source: ").Append(Sources.Citation(f.Guideline)).Append('.');

        return new Card
        {
            Uuid = ids.NewUuid(),
            Summary = Markdown.Summary(summary),
            Detail = sb.ToString(),
            Indicator = indicator,
            Source = new CardSource { Label = Sources.Label(f.Guideline), Url = Sources.Url(f.Guideline), Topic = topic },
        };
    }

    private static void EvidenceTable(StringBuilder sb, ResponseFinding f)
    {
        var rows = f.LineResults.Count <= MaxEvidenceRows ? f.LineResults : f.LineResults.Skip(f.LineResults.Count - MaxEvidenceRows).ToList();
        var anyCaveat = rows.Any(r => r.SensitivityNote is not null);
        Markdown.Table(sb, ["Date", "BCR::ABL1 %IS", "Level", "Log reduction", $"Months on {TkiNames.Name(f.Line.Drug)}"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                Date(r.Date),
                r.Result.Display,
                (r.Level == ResponseLevel.None ? "—" : ResponseLevels.Label(r.Level)) + (r.SensitivityNote is null ? "" : " †"),
                double.IsInfinity(r.LogReduction) ? "—" : r.LogReduction.ToString("0.0", CultureInfo.InvariantCulture),
                ClinicalTime.FormatMonths(f.Line.MonthsOn(r.Date)),
            ]));
        if (f.LineResults.Count > rows.Count)
            sb.Append(CultureInfo.InvariantCulture, $"The latest {rows.Count} of {f.LineResults.Count} results on this line.\n\n");
        if (anyCaveat)
            sb.Append("† undetectable with too few control-gene copies for a deeper level (Cross 2015): see the data-quality card.\n\n");
    }

    private static string NextSteps(ResponseCategory category) => category switch
    {
        ResponseCategory.Failure => "check adherence and drug interactions first; then consider kinase domain mutation analysis, a change of TKI and evaluation for allogeneic transplant. The decision is the treating clinician's.",
        ResponseCategory.Warning => "check adherence and drug interactions; consider a therapy review and closer monitoring.",
        _ => "continue the current TKI and the regular BCR::ABL1 monitoring.",
    };

    private Card DataQuality(DataQualityFinding f)
    {
        var setAside = f.Notes.Count(n => n.SetAside);
        var caveats = f.Notes.Count - setAside;
        var parts = new List<string>();
        if (setAside > 0) parts.Add($"{setAside} set aside");
        if (caveats > 0) parts.Add($"{caveats} with caveats");
        var meanings = string.Join(", ", f.Notes.Select(n => DataQualityCodes.Meaning.GetValueOrDefault(n.Code, n.Code)).Distinct());
        var summary = f.LatestResultSetAside is { Date: { } latest }
            ? $"Latest BCR::ABL1 result ({Date(latest)}) set aside: {DataQualityCodes.Meaning.GetValueOrDefault(f.LatestResultSetAside.Code, f.LatestResultSetAside.Code)}"
            : $"Data quality: {string.Join(", ", parts)} ({meanings})";

        var sb = new StringBuilder();
        sb.Append("Some chart data could not be used as it stands. Nothing here changed a recommendation silently: set-aside data was left out of the rules; data used with caveats is marked.\n\n");
        Markdown.Table(sb, ["Resource", "Date", "Code", "What", "Used"],
            f.Notes.Select(n => (IReadOnlyList<string>)
            [
                n.SourceId ?? "—",
                n.Date is { } d ? Date(d) : "—",
                $"`{n.Code}`",
                n.Message,
                n.SetAside ? "no" : "with caveat",
            ]));
        sb.Append("Reading rules: CML CDS RULES.md §1 (International Scale, units, status, dates); undetectable results scored by control-gene copies per ")
          .Append(Sources.Cross2015Citation).Append('.');

        return new Card
        {
            Uuid = ids.NewUuid(),
            Summary = Markdown.Summary(summary),
            Detail = sb.ToString(),
            Indicator = f.LatestResultSetAside is null ? Indicator.Info : Indicator.Warning,
            Source = new CardSource { Label = "CML CDS data reading rules", Topic = CardTopics.DataQuality },
        };
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
