using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Rules;
using CmlCds.Clinical.Therapy;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    private const string Soverini2011 = "Soverini S et al. BCR-ABL kinase domain mutation analysis in chronic myeloid leukemia patients treated with tyrosine kinase inhibitors: recommendations from an expert panel on behalf of European LeukemiaNet. Blood 2011;118:1208–1215";

    private Card MutationAnalysis(MutationAnalysisFinding f, CardContext context)
    {
        var recommend = f.Strength >= ActionStrength.Recommend;
        var summary = recommend
            ? $"Order BCR::ABL1 kinase domain mutation analysis: {f.Reason}"
            : $"Consider BCR::ABL1 kinase domain mutation analysis: {f.Reason}";
        var sb = new StringBuilder();
        var reasons = f.Reasons.Count > 0 ? f.Reasons : [f.Reason];
        sb.Append(CultureInfo.InvariantCulture, $"**{(recommend ? "Recommended" : "Consider")}**: kinase domain mutation analysis, for {string.Join("; ", reasons)}; latest BCR::ABL1 {f.Trigger.ShownIs} on {Date(f.Trigger.Date)}. No mutation result or pending mutation-analysis order is dated on or after it.\n\n");
        sb.Append("Results used: ").Append(string.Join("; ", f.Evidence.TakeLast(MaxEvidenceRows).Select(r => $"{r.ShownIs} on {Date(r.Date)}"))).Append(f.Line is not null ? " (all results: see the response card).\n\n" : ".\n\n"); // no line: no response card (advanced phase)
        var lossOfMmr = f.Guideline == Guideline.Nccn ? "on loss of MMR with a rise of at least 1 log from the lowest value on this line" : "on loss of MMR (Cross 2023)";
        var consider = f.Guideline == Guideline.Nccn ? "consider at a 6- or 12-month warning and at a 3-month YELLOW" : "consider at a 6- or 12-month warning";
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{string.Join("`, `", f.RuleIds)}` ({Sources.Label(f.Guideline)}): recommend on treatment failure, {lossOfMmr}, in accelerated or blast phase, and when MMR has not returned 3 months after restarting TKI for a TFR relapse; {consider}; never when the latest result is ≤ 0.1% (Soverini 2011).\n\n");
        sb.Append("**Next**: the result guides the choice of the next TKI; check adherence and drug interactions as well.\n\n");
        sb.Append("Source: ").Append(Sources.Eln2020Citation).Append("; ").Append(Soverini2011).Append('.');

        var card = NewCard(summary, sb, recommend ? Indicator.Warning : Indicator.Info,
            new CardSource { Label = "ELN 2020; Soverini 2011", Url = Sources.Eln2020Url, Topic = CardTopics.MutationAnalysis });
        var order = DraftOrder(context, Codes.MutationAnalysis, "BCR::ABL1 kinase domain mutation analysis",
            f.Trigger.Result.SourceId.Contains('/', StringComparison.Ordinal) ? f.Trigger.Result.SourceId : null);
        return WithSuggestion(card, "Order BCR::ABL1 kinase domain mutation analysis",
            "Draft order for BCR::ABL1 kinase domain mutation analysis (LOINC 55135-8)", order, recommend);
    }

    /// <summary>The first wording that fits a summary whole after "<paramref name="headline"/>: " (never cut mid-word).</summary>
    private static string FitSummary(string headline, params string[] wordings) =>
        wordings.FirstOrDefault(w => headline.Length + 2 + w.Length < 140) ?? wordings[^1];

    private Card TherapyReview(TherapyReviewFinding f, DoseFinding? dose)
    {
        var drug = TkiNames.Name(f.Line.Drug);
        var sb = new StringBuilder();
        var source = new CardSource { Label = "PDQ; ELN 2020", Url = Sources.PdqUrl, Topic = CardTopics.TherapyReview };
        if (f.Strength == ActionStrength.Critical)
        {
            var mutations = string.Join(", ", f.Mutations);
            var computed = f.Unclassified.Count == 0;
            var options = f.Options.Select(t => t == Tki.Asciminib && f.Transplant ? "asciminib (200 mg twice daily for T315I)" : TkiNames.Name(t)).ToList();
            if (f.Transplant) options.Add("transplant");
            var asciminib = f.AsciminibT315I;
            var summary = asciminib is not null
                ? asciminib.Dose is { } low
                    ? $"T315I on file: asciminib {low.Shown} is below the T315I dose; consider {OrList(options)}"
                    : $"T315I on file: asciminib acts on T315I only at 200 mg twice daily and the order's dose could not be read: confirm it"
                : computed && options.Count > 0
                ? $"{mutations} on file: {drug} is not effective; consider {OrList(options)}"
                : $"{mutations} on file: {drug} is not effective; discuss the options with the laboratory and a CML specialist";
            if (asciminib is null)
                sb.Append(CultureInfo.InvariantCulture, $"**{mutations} on file**: {drug}, the current TKI (line {f.Line.Number}, since {Date(f.Line.Start)}), is not effective against {(f.Mutations.Count > 1 ? "these mutations" : "this mutation")}.\n\n");
            else
                sb.Append(CultureInfo.InvariantCulture, $"**T315I on file**: asciminib, the current TKI (line {f.Line.Number}, since {Date(f.Line.Start)}), acts on T315I only at {DoseRule.AsciminibT315IMgPerDose:0} mg twice daily; {(asciminib.Dose is { } d ? $"the current order is {d.Shown}, below it" : "the order's dose could not be read: confirm it")}.\n\n");
            Markdown.Table(sb, ["Date", "Mutations found"],
                f.MutationEvidence.TakeLast(MaxEvidenceRows).Select(m => (IReadOnlyList<string>)[Date(m.Date), string.Join(", ", m.Variants.Where(v => v.Detected && !v.Benign).Select(v => v.Shown))]));
            var onFile = f.MutationEvidence.SelectMany(m => m.Mutations).Distinct(StringComparer.Ordinal).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{f.RuleIds[0]}`: TKIs not to be used against each mutation (PDQ; Branford 2009; Soverini 2011); for the mutations on file:\n\n");
            Markdown.Table(sb, ["TKI", "Not effective against"], MutationResistanceTable.Table
                .Select(r => (r.Drug, By: onFile.Where(m => MutationResistanceTable.RulesOut(m, r.Drug)).ToList()))
                .Where(x => x.By.Count > 0)
                .Select(x => (IReadOnlyList<string>)[TkiNames.Name(x.Drug), string.Join(", ", x.By)]));
            if (asciminib is not null)
                sb.Append("Asciminib is an option against T315I only at 200 mg twice daily; 80 mg daily (40 mg twice daily) is the dose without T315I (SCEMBLIX label, section 2).\n\n");
            if (!computed)
                sb.Append(CultureInfo.InvariantCulture, $"{string.Join(", ", f.Unclassified)}: in no row of the table (uncertain significance), so the options are not computed.\n\n");
            if (f.Evidence is { } onCurrent) Evidence(sb, onCurrent);
            sb.Append(asciminib is not null && computed
                ? $"**Next**: {(asciminib.Dose is null ? "confirm the asciminib dose on the order; if it is not 200 mg twice daily, " : "")}the decision of the treating clinician: asciminib at 200 mg twice daily, or a change of TKI; options left by every mutation on file: {OrList(options.Select(o => o == "transplant" ? "evaluation for allogeneic transplant" : o).ToList())}. Check drug interactions of any new TKI.\n\n"
                : computed && options.Count > 0
                ? $"**Next**: a change of TKI, the decision of the treating clinician; options left by every mutation on file: {OrList(options.Select(o => o == "transplant" ? "evaluation for allogeneic transplant" : o).ToList())}. Check drug interactions of the new TKI.\n\n"
                : "**Next**: discuss the options with the laboratory and a CML specialist.\n\n");
            sb.Append("Source: ").Append(Sources.PdqCitation).Append("; ").Append(Sources.Eln2020Citation);
            if (asciminib is not null) sb.Append("; ").Append(ScemblixLabel);
            sb.Append('.');
            return NewCard(summary, sb, Indicator.Critical, source);
        }

        var response = f.Response!;
        var milestone = response.Milestone is null ? "" : $" at {ClinicalTime.FormatMonths(response.MonthsOnTki)} months";
        var what = response.Category == ResponseCategory.Failure ? "treatment failure" : "warning";
        var by = Sources.Label(response.Guideline);
        var review = f.Strength == ActionStrength.Recommend;
        var headline = review ? "Review therapy" : "Consider a therapy review";
        // The summary says what to do; the response card carries the finding and the results.
        var concerns = EvidenceConcerns(f.Evidence);
        var todo = concerns.Count > 0
            ? (review ? FitSummary(headline, $"{string.Join(" and ", concerns)} first; then a change of TKI guided by mutation analysis and transplant evaluation",
                    $"{string.Join(" and ", concerns)} first; then a TKI change, mutation analysis and transplant evaluation",
                    $"{string.Join(" and ", concerns)} first; then a change of TKI") : $"{string.Join(" and ", concerns)} first; closer monitoring")
            : review
                ? "check adherence and interactions, then a change of TKI guided by mutation analysis and transplant evaluation"
                : "check adherence and interactions; closer monitoring";
        sb.Append(CultureInfo.InvariantCulture, $"**{headline}** for the {what} on {drug}{milestone} by {by} (BCR::ABL1 {response.Latest.ShownIs} on {Date(response.Latest.Date)}; the results are on the response card).\n\n");
        if (f.Evidence is { } evidence) Evidence(sb, evidence);
        var row = response.Guideline == Guideline.Nccn
            ? (review ? "RED: review therapy" : "YELLOW or ORANGE: consider a review")
            : (review ? "failure: review therapy" : "warning: consider a review");
        var ponatinib = dose is { Concern: DoseConcern.PonatinibAboveMaintenance } ? dose : null;
        if (ponatinib is not null)
            sb.Append(CultureInfo.InvariantCulture, $"**Dose**: ponatinib {ponatinib.Dose.Shown} on the current order, with the latest BCR::ABL1 ({ponatinib.Latest!.ShownIs}) at or below 1%; rule `{ponatinib.RuleIds[0]}`: ponatinib starts at 45 mg daily and is reduced to {DoseRule.PonatinibMaintenanceMg:0} mg daily once BCR::ABL1 is at or below 1% (PDQ; Cortes 2021).\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{string.Join("`, `", f.RuleIds)}`: {row} (PDQ; {by}){EvidenceRuleText(f.Evidence)}.\n\n");
        sb.Append("**Next**, in this order:\n\n1. Adherence: missed or reduced doses.\n2. Drug interactions.\n");
        sb.Append(review
            ? "3. A change of TKI, guided by kinase domain mutation analysis.\n4. Evaluation for allogeneic transplant. ELN 2025 asks for an individual decision.\n"
            : "3. Closer monitoring; a change of TKI if the warning persists.\n");
        if (ponatinib is not null)
            sb.Append(review ? "5" : "4").Append(". The dose: consider reducing ponatinib to 15 mg daily; if the response is lost, the label allows going back to the dose tolerated before. The decision is the treating clinician's.\n");
        sb.Append('\n');
        sb.Append("Source: ").Append(Sources.PdqCitation).Append("; ").Append(Sources.Citation(response.Guideline));
        if (ponatinib is not null) sb.Append("; ").Append(Cortes2021);
        sb.Append('.');
        return NewCard($"{headline}: {todo}{(ponatinib is not null ? "; the ponatinib dose: consider 15 mg daily" : "")}", sb, review ? Indicator.Warning : Indicator.Info, source);
    }

    private Card MonitoringOverdue(MonitoringOverdueFinding f, CardContext context)
    {
        var drug = TkiNames.Name(f.Line.Drug);
        var interval = f.Schedule switch
        {
            MonitoringSchedule.InMmr => $"every {f.IntervalMonths} months in MMR",
            MonitoringSchedule.AboveMmr => $"every {f.IntervalMonths} months while above MMR",
            MonitoringSchedule.Retreatment => "monthly after restarting TKI until MMR returns",
            MonitoringSchedule.AfterRetreatment => $"every {f.IntervalMonths} months after re-treatment",
            MonitoringSchedule.AtypicalTranscript => $"every {f.IntervalMonths} months (atypical transcript)",
            _ => $"every {f.IntervalMonths} months before MMR",
        };
        var summary = f.LastTest is null
            ? $"BCR::ABL1 test overdue: none since starting {drug} {f.MonthsSinceReference} months ago, due {interval}"
            : $"BCR::ABL1 test overdue: last {f.MonthsSinceReference} months ago, due {interval}";
        var sb = new StringBuilder();
        if (f.LastOtherTest is { } other)
            sb.Append(CultureInfo.InvariantCulture, $"**Overdue**: the last BCR::ABL1 result on {drug} is from {Date(other)} ({f.MonthsSinceReference} months ago); the next was due {Date(f.Due)}, more than 4 weeks ago.\n\n");
        else if (f.LastTest is { } last)
            sb.Append(CultureInfo.InvariantCulture, $"**Overdue**: the last BCR::ABL1 %IS result on {drug}, {last.ShownIs}, is from {Date(last.Date)} ({f.MonthsSinceReference} months ago); the next was due {Date(f.Due)}, more than 4 weeks ago.\n\n");
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"**Overdue**: no BCR::ABL1 %IS result since {drug} started on {Date(f.Line.Start)}; the first was due {Date(f.Due)}, more than 4 weeks ago.\n\n");
        }
        if (f.Pending is { } pending)
            sb.Append(CultureInfo.InvariantCulture, $"A BCR::ABL1 order from {Date(pending.Date)} is open: the test has been asked for but has no result yet.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{f.RuleIds[0]}`: every {MonitoringOverdueRule.BeforeMmrMonths} months until MMR on the current line and whenever the latest result is above 0.1%, every {MonitoringOverdueRule.InMmrMonths} months while in MMR (ELN 2020: every 3–6 months); monthly after restarting TKI for a TFR relapse until MMR returns, then every {MonitoringOverdueRule.BeforeMmrMonths} months; overdue more than 4 weeks past due.\n\n");
        sb.Append("Source: ").Append(Sources.Eln2020Citation).Append('.');
        var card = NewCard(summary, sb, Indicator.Warning,
            new CardSource { Label = Sources.Eln2020Label, Url = Sources.Eln2020Url, Topic = CardTopics.MonitoringOverdue });
        if (f.Pending is not null) return card;
        return WithSuggestion(card, "Order BCR::ABL1 qPCR (International Scale)", "Draft order for BCR::ABL1 %IS (LOINC 69380-4)",
            DraftOrder(context, Codes.BcrAbl1International, "BCR::ABL1 qPCR, International Scale", null), true);
    }
}
