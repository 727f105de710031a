using System.Globalization;
using System.Text;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical;

/// <summary>
/// Renders the guideline tables the code runs on as one markdown page (docs/clinical-tables.md) for clinical
/// sign-off. A test compares the committed page with this output, so the page cannot drift from the code.
/// </summary>
public static class ClinicalTables
{
    public static string RenderMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("# Clinical tables (generated)\n\n");
        sb.Append("Rendered from the tables in `src/CmlCds.Clinical` by `ClinicalTables.RenderMarkdown()`; a test fails when this page and the code differ. ")
          .Append("Regenerate with `CMLCDS_UPDATE_GOLDEN=1 dotnet test`, then review the diff.\n\n");

        sb.Append("## Response levels (clinical specification §2; ELN 2020, Cross 2015)\n\n");
        sb.Append("| level | %IS at most | undetectable needs ABL1 copies | or GUSB copies |\n|---|---|---|---|\n");
        foreach (var r in ResponseLevels.Table)
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Label} | {r.MaxPercent}% | {N(r.MinAbl1Copies)} | {N(r.MinGusbCopies)} |\n");
        sb.Append("\nThresholds are inclusive. Log reduction = log10(100 / %IS).\n\n");

        sb.Append("## Milestone in force (clinical specification §3)\n\n| days on the current TKI at the latest result | row |\n|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| < {MilestoneWindows.Month3FromDay} | none (no response card, except loss of MMR or a mutation) |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Month3FromDay}–{MilestoneWindows.Month6FromDay - 1} | {MilestoneWindows.Label(Milestone.Month3)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Month6FromDay}–{MilestoneWindows.Month12FromDay - 1} | {MilestoneWindows.Label(Milestone.Month6)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| ≥ {MilestoneWindows.Month12FromDay} | {MilestoneWindows.Label(Milestone.Month12)} |\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Months on TKI = days / {ClinicalTime.DaysPerMonth}.\n\n");

        sb.Append("## ELN 2020 milestones (default)\n\n| time | %IS | category | note |\n|---|---|---|---|\n");
        foreach (var r in Eln2020Milestones.Table)
            sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Label(r.Milestone)} | {r.Band} | {r.Category.ToString().ToLowerInvariant()} | {r.Note} |\n");
        sb.Append("\nAt any time: loss of MMR (reached on this line, or on an earlier line left for intolerance or an unrecorded reason without failure) → at least warning, > 1% → failure; a known resistance mutation found on this line → failure; a variant of uncertain significance → at least warning. Not in accelerated or blast phase (advanced-phase card instead); after restarting TKI for a TFR relapse, MMR regained or not instead of the rows.\n\n");

        sb.Append("## NCCN milestones (selectable; defaults shown)\n\n| time | %IS | colour | category | note |\n|---|---|---|---|---|\n");
        var nccn = new NccnSettings();
        foreach (var r in NccnMilestones.Table(nccn))
            sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Label(r.Milestone)} | {r.Band} | {NccnMilestones.Name(r.Colour)} | {NccnMilestones.Category(r.Colour, nccn).ToString().ToLowerInvariant()} | {r.Note} |\n");

        sb.Append("\n## TKIs not to be used against each mutation (clinical specification §5; NCCN V.1.2026 mutation table, Branford 2009, Soverini 2011, PDQ)\n\n| TKI | not effective against |\n|---|---|\n");
        foreach (var r in Rules.MutationResistanceTable.Table)
            sb.Append(CultureInfo.InvariantCulture, $"| {Therapy.TkiNames.Name(r.Drug)} | {(r.AnyMutation ? "any detected resistance mutation (never offered after one)" : r.NotEffectiveAgainst.Count == 0 ? "none of the single mutations above" : string.Join(", ", r.NotEffectiveAgainst))}{(r.Note is null ? "" : $" ({r.Note})")} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"\nOptions = {{{string.Join(", ", Rules.MutationResistanceTable.Candidates.Select(Therapy.TkiNames.Name))}}} minus every TKI any detected mutation rules out, minus the current TKI; with {Rules.MutationResistanceTable.T315I}, allogeneic transplant too. A mutation in no row: options are not computed; discuss with the laboratory and a CML specialist.\n");
        sb.Append("\n## Mutation analysis (clinical specification §4)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Recommend when the latest %IS is > 0.1% and: failure; loss of MMR (ELN 2020, Cross 2023: on its own; NCCN: with a rise of ≥ {Rules.MutationAnalysisRule.OneLogRise}-fold from the nadir on this line); accelerated or blast phase; MMR not regained {Rules.MutationAnalysisRule.MmrRegainMonths} months after restarting TKI for a TFR relapse. Consider at a 6- or 12-month warning, and under NCCN at a 3-month YELLOW. Not again once a mutation result or an open order is dated on or after the trigger.\n");

        sb.Append("\n## Monitoring on TKI (clinical specification §8)\n\n| the current line | test every | overdue after due + |\n|---|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| MMR not yet reached, or the latest result above 0.1% | {Rules.MonitoringOverdueRule.BeforeMmrMonths} months | {Rules.MonitoringOverdueRule.GraceDays} days |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| latest result in MMR | {Rules.MonitoringOverdueRule.InMmrMonths} months | {Rules.MonitoringOverdueRule.GraceDays} days |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| re-treatment after a TFR relapse, MMR not regained | {Rules.MonitoringOverdueRule.RetreatmentMonths} month | {Rules.MonitoringOverdueRule.GraceDays} days |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| re-treatment, MMR regained | {Rules.MonitoringOverdueRule.BeforeMmrMonths} months | {Rules.MonitoringOverdueRule.GraceDays} days |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| atypical transcript (any BCR::ABL1 result counts) | {Rules.MonitoringOverdueRule.BeforeMmrMonths} months | {Rules.MonitoringOverdueRule.GraceDays} days |\n");

        sb.Append("\n## Treatment-free remission criteria (clinical specification §6)\n\n| criterion | ELN 2020 (default) | NCCN |\n|---|---|---|\n");
        var eln = Tfr.TfrGuidelineCriteria.Eln2020;
        var nccnTfr = Tfr.TfrGuidelineCriteria.Nccn;
        sb.Append(CultureInfo.InvariantCulture, $"| phase | {eln.PhaseText} | {nccnTfr.PhaseText} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| age | ≥ {eln.MinimumAgeYears} (adults; under 18 TFR only within a trial) | ≥ {nccnTfr.MinimumAgeYears} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| TKI duration | {eln.DurationText} | {nccnTfr.DurationText} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| depth | {eln.DepthText} | {nccnTfr.DepthText} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| history | {eln.HistoryText} | {nccnTfr.HistoryText} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| transcript | {eln.TranscriptText} | {nccnTfr.TranscriptText} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| laboratory, patient | {Tfr.TfrGuidelineCriteria.LaboratoryText}; {Tfr.TfrGuidelineCriteria.AgreementText} | same |\n");
        sb.Append(CultureInfo.InvariantCulture, $"\nDepth: valid results only, every result in the window MR4 or deeper, at least {Tfr.TfrGuidelineCriteria.MinimumDepthTests} of them at least {Tfr.TfrGuidelineCriteria.MinimumDaysBetweenTests} days apart. Never with an accelerated/blast history, an atypical transcript, a kinase-domain mutation or a failure on record.\n");

        sb.Append("\n## After stopping TKI (clinical specification §7; ELN 2020)\n\n| months since the stop, at the last test | next test after | overdue after due + |\n|---|---|---|\n");
        foreach (var (from, interval, grace) in Rules.TfrMonitoringRule.Schedule)
            sb.Append(CultureInfo.InvariantCulture, $"| {from}+ | {interval} month{(interval > 1 ? "s" : "")} | {grace} days |\n");
        sb.Append("\nAny result > 0.1% after the stop: loss of MMR, resume TKI within 4 weeks.\n");
        TherapyEvidence(sb);
        return sb.ToString();
    }

    /// <summary>Adherence, interactions and dose (clinical specification §11).</summary>
    private static void TherapyEvidence(StringBuilder sb)
    {
        sb.Append("\n## Adherence (clinical specification §11; Marin 2010)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Proportion of days covered (PDC) of the current TKI over the last {Therapy.AdherenceResult.WindowDaysMax} days of the line (or since its start), from completed dispenses: `whenHandedOver` and `daysSupply`, else quantity ÷ the dispense's daily dose; early refills carried forward, cover capped at today. Below {Therapy.AdherenceResult.ConcernBelowPercent}% (shown rounded down): \"adherence concern: refill gaps\" with the dates of the gaps. No dispense records: \"no dispense records\", never assumed good; dispenses without a readable supply: not counted, and \"not computable\" when none has one.\n");

        sb.Append("\n## Drug interactions (clinical specification §11; each TKI's US prescribing information, section 7)\n\n| TKI | with | advice | source |\n|---|---|---|---|\n");
        foreach (var r in Rules.InteractionTable.Rows)
            sb.Append(CultureInfo.InvariantCulture, $"| {Therapy.TkiNames.Name(r.Drug)} | {Rules.InteractionTable.ClassName(r.Class)}s | {r.Advice} | {r.Source} |\n");
        sb.Append("\nNot in the table (not confirmed against the label text when the table was written, so left out rather than written from memory): asciminib with strong CYP3A4 inducers; nilotinib, imatinib, ponatinib and asciminib with acid-reducing agents.\n");
        sb.Append("\n| class | matched by ATC | ingredients (ATC) |\n|---|---|---|\n");
        foreach (var c in Enum.GetValues<Rules.InteractionClass>())
        {
            var group = Rules.InteractionTable.Groups.Where(g => g.Class == c).Select(g => g.AtcGroup + " (the group)").ToList();
            var drugs = Rules.InteractionTable.Drugs.Where(d => d.Class == c).Select(d => $"{d.Name} ({d.Atc})");
            sb.Append(CultureInfo.InvariantCulture, $"| {Rules.InteractionTable.ClassName(c)}s | {(group.Count > 0 ? string.Join(", ", group) : "each ingredient's code")} | {string.Join(", ", drugs)} |\n");
        }
        sb.Append("\nA medication is matched by its ATC code (or ATC group), else by an ingredient name in its text or display. Medications matched by nothing are \"not checked\", never \"no interaction\"; a drug of the table with no row for the current TKI is \"not checked for\" that TKI (the pair was not verified), never counted as checked. Read: orders active, on hold or of unknown status; statements active, on hold, intended or of unknown status.\n");

        sb.Append("\n## Dose (clinical specification §11)\n\n| TKI | when | card |\n|---|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| ponatinib | above {Rules.DoseRule.PonatinibMaintenanceMg:0} mg daily with the latest result on the line ≤ {Rules.DoseRule.PonatinibReduceAtOrBelowPercent:0}% (not in accelerated or blast phase; not when a later result was set aside; not after a re-escalation from {Rules.DoseRule.PonatinibMaintenanceMg:0} mg on the same line) | info: consider reducing ponatinib to {Rules.DoseRule.PonatinibMaintenanceMg:0} mg daily (PDQ; Cortes 2021) |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| asciminib | T315I on file and under {Rules.DoseRule.AsciminibT315IMgPerDose:0} mg a dose or under {Rules.DoseRule.AsciminibT315IDosesPerDay:0} doses a day | critical therapy review (the mutation path of §5): the asciminib dose for T315I is {Rules.DoseRule.AsciminibT315IMgPerDose:0} mg twice daily (label section 2); an unreadable dose: confirm it |\n");
        sb.Append("\nThe dose line goes inside the therapy-review card whenever one fires; a dose card of its own (topic `dose-review`) only when none does.\n");
        sb.Append("\nThe dose is the latest order's `dosageInstruction.doseAndRate.doseQuantity` in mg times the timing's frequency per day; one instruction only. An unreadable dose infers nothing.\n");
    }

    private static string N(int? n) => n is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "—";
}
