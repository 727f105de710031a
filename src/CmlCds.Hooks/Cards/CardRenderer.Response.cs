using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Rules;
using CmlCds.Clinical.Therapy;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    private Card Response(ResponseFinding f, EvaluationResult evaluation)
    {
        var drug = TkiNames.Name(f.Line.Drug);
        var months = ClinicalTime.FormatMonths(f.MonthsOnTki);
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
        var summary = $"BCR::ABL1 {f.Latest.ShownIsWithLevel} at {months} months on {drug}: {qualifier}{what} ({by})";

        var sb = new StringBuilder();
        if (f.Line.Retreatment)
        {
            var since = ClinicalTime.FormatMonths(f.Line.MonthsOn(f.Latest.Date));
            summary = f.MmrRegainedOn is { } regained
                ? $"MMR regained on {Date(regained)} after restarting {drug}: BCR::ABL1 {f.Latest.ShownIsWithLevel}{(qualifier.Length > 0 ? $"; {qualifier}{what}" : "")}"
                : $"MMR not yet regained, {since} months after restarting {drug}: BCR::ABL1 {f.Latest.ShownIsWithLevel}";
            sb.Append(CultureInfo.InvariantCulture, $"**Re-treatment after a TFR relapse**: {drug} restarted on {Date(f.Line.Start)}; first-line milestones do not apply. MMR is expected back within 3–6 months ({Sources.Label(f.Guideline)}). Latest BCR::ABL1 {f.Latest.ShownIs} on {Date(f.Latest.Date)}.\n\n");
        }
        else
        {
            var milestone = f.Milestone is { } m
                ? (m == Milestone.Month12 && f.MonthsOnTki > 15 ? "the 12-month-and-later milestone" : $"the {MilestoneWindows.Adjective(m)} milestone")
                : "no milestone yet (before day 70)";
            sb.Append(CultureInfo.InvariantCulture, $"**{Capitalise(what)}** by {Sources.Label(f.Guideline)} at {milestone}: BCR::ABL1 {f.Latest.ShownIs} on {Date(f.Latest.Date)}, {months} months after starting {drug} (line {f.Line.Number}, started {Date(f.Line.Start)}).\n\n");
        }
        ResultsTable(sb, f.LineResults, f.Line);
        Interruptions(sb, f.Line);
        if (f.Evidence is { } evidence) Evidence(sb, evidence);
        if (f.MutationsOnFile.Count > 0)
        {
            var named = f.MutationsOnFile.TakeLast(MaxEvidenceRows).Select(m => $"{string.Join(", ", m.Variants.Where(v => v.Detected && !v.Benign).Select(v => v.Shown))} ({Date(m.Date)})");
            var ruledOut = f.MutationsOnFile.SelectMany(m => m.Mutations).Any(m => MutationResistanceTable.RulesOut(m, f.Line.Drug));
            sb.Append(CultureInfo.InvariantCulture, $"**Mutations on file**: {string.Join("; ", named)}; {(ruledOut ? $"{drug} is not effective against them: see the therapy review card" : $"{drug} is not ruled out by them")}.\n\n");
        }
        if (f.Kinetics is { } k) Kinetics(sb, k);
        if (evaluation.Get<DataQualityFinding>()?.LatestResultSetAside is { Date: { } setAsideOn } newer)
            sb.Append(CultureInfo.InvariantCulture, $"**Note**: a later BCR::ABL1 result ({Date(setAsideOn)}) was set aside ({Meaning(newer)}) and is not in this assessment: see the data-quality card.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{string.Join("`, `", f.RuleIds)}`: {(f.Line.Retreatment ? "" : $"{Sources.Label(f.Guideline)} milestones, ")}{f.RowText}.\n\n");
        foreach (var reason in f.Reasons) sb.Append("- ").Append(reason).Append('\n');
        if (f.Reasons.Count > 0) sb.Append('\n');
        sb.Append("**Next**: ").Append(NextSteps(f.Category, evaluation, f.Pregnancy is not null)).Append("\n\n");
        sb.Append("Source: ").Append(Sources.Citation(f.Guideline)).Append('.');

        return NewCard(summary, sb, indicator, new CardSource { Label = Sources.Label(f.Guideline), Url = Sources.Url(f.Guideline), Topic = topic });
    }

    /// <summary>Interruptions of more than 14 days within the line (clinical specification §1), at most 10.</summary>
    private static void Interruptions(StringBuilder sb, TherapyLine line)
    {
        var gaps = line.Interruptions;
        if (gaps.Count == 0) return;
        var shown = gaps.TakeLast(MaxEvidenceRows).Select(g => $"{Date(g.From)} to {Date(g.To)} ({g.Days} days)");
        sb.Append(CultureInfo.InvariantCulture, $"**Interruptions** of {TkiNames.Name(line.Drug)} of more than {TherapyLine.ListedInterruptionDays} days, with no order covering them (months on TKI still count from {Date(line.Start)}): {string.Join("; ", shown)}{(gaps.Count > MaxEvidenceRows ? $"; and {gaps.Count - MaxEvidenceRows} earlier" : "")}.\n\n");
    }

    private static void Kinetics(StringBuilder sb, Kinetics k)
    {
        var baseline = $"baseline {k.Baseline.Shown} on {Date(k.Baseline.Date)}";
        if (k.HalvingDays is { } t)
            sb.Append(CultureInfo.InvariantCulture,
                $"**Kinetics**: halving time {t:0} days from the {baseline} ({(k.Favourable ? "below" : "not below")} {Clinical.Evaluation.Kinetics.FavourableBelowDays:0} days: {(k.Favourable ? "favourable" : "not favourable")}; Branford 2014). It does not change the category.\n\n");
        else
            sb.Append(CultureInfo.InvariantCulture, $"**Kinetics**: no decline from the {baseline}. It does not change the category.\n\n");
    }

    /// <summary>What to consider next; where an action card exists, point to it instead of repeating it.</summary>
    private static string NextSteps(ResponseCategory category, EvaluationResult evaluation, bool pregnant)
    {
        var actions = new List<string>();
        if (evaluation.Get<TherapyReviewFinding>() is not null) actions.Add("therapy review");
        if (evaluation.Get<MutationAnalysisFinding>() is not null) actions.Add("mutation analysis");
        if (evaluation.Get<MonitoringOverdueFinding>() is not null) actions.Add("overdue monitoring");
        var see = actions.Count == 0 ? "" : $"; see the {string.Join(" and ", actions)} card{(actions.Count > 1 ? "s" : "")}";
        if (evaluation.Get<TherapyReviewFinding>() is { Strength: ActionStrength.Critical })
            return $"a change of TKI: a mutation on file makes the current one ineffective; see the therapy review card{(actions.Count > 1 ? $" and the {string.Join(" and ", actions.Where(a => a != "therapy review"))} card" : "")}.";
        if (evaluation.Get<DataQualityFinding>()?.LatestResultSetAside is not null)
            return "no current assessment: the latest test could not be used; repeat it before relying on this result" + see + ".";
        if (pregnant && category != ResponseCategory.Failure)
            return "pregnancy recorded: TKIs are withheld in pregnancy (ELN 2020); discuss with the CML specialist" + see + ".";
        return category switch
        {
            ResponseCategory.Failure when actions.Count > 0 => $"check adherence and drug interactions first{see}.",
            ResponseCategory.Failure => "check adherence and drug interactions first; then consider kinase domain mutation analysis, a change of TKI and evaluation for allogeneic transplant. The decision is the treating clinician's.",
            ResponseCategory.Warning when actions.Count > 0 => $"check adherence and drug interactions{see}.",
            ResponseCategory.Warning => "check adherence and drug interactions; consider a therapy review and closer monitoring.",
            _ => $"continue the current TKI and the regular BCR::ABL1 monitoring{see}.",
        };
    }
}
