using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Rules;
using CmlCds.Clinical.Therapy;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

/// <summary>
/// Adherence, interactions and dose (clinical specification §11). Each is shown in one line when all is well, in honest words:
/// no dispense records is "no dispense records", never good adherence; a medication the table does not know is "not
/// checked", never "no interaction".
/// </summary>
public sealed partial class CardRenderer
{
    private const string Cortes2021 = "Cortes JE et al. Ponatinib dose-ranging study in chronic-phase chronic myeloid leukemia: a randomized, open-label phase 2 clinical trial (OPTIC). Blood 2021;138:2042–2050";
    private const string ScemblixLabel = "SCEMBLIX (asciminib) US prescribing information, section 2 (dosage)";

    /// <summary>The adherence line and the interactions line(s).</summary>
    private static void Evidence(StringBuilder sb, TherapyEvidence e)
    {
        sb.Append(AdherenceLine(e.Adherence)).Append("\n\n");
        Interactions(sb, e.Interactions, e.UnreadMedications ?? []);
    }

    private static string Period(AdherenceResult a) => a.WindowDays >= AdherenceResult.WindowDaysMax
        ? $"the last {a.WindowDays} days"
        : $"the {a.WindowDays} days since the line started ({Date(a.WindowStart)})";

    internal static string AdherenceLine(AdherenceResult a)
    {
        var drug = TkiNames.Name(a.Drug);
        var uncounted = a.Uncounted == 0 ? ""
            : a.AtLeast ? $" {Count(a.Uncounted, "dispense")} without a readable supply not counted, {(a.UncountedInWindow == a.Uncounted ? "" : $"{a.UncountedInWindow} ")}in the window: the share is a lower bound."
            : $" {Count(a.Uncounted, "dispense")} without a readable supply not counted.";
        switch (a.Status)
        {
            case AdherenceStatus.DispensesUnreadable:
                return $"**Adherence**: the dispense records could not be read, or not in full (see the data-quality notes): adherence to {drug} cannot be judged from the chart (not assumed good); ask the patient and the pharmacy.";
            case AdherenceStatus.NoDispenseRecords:
                return $"**Adherence**: no dispense records of {drug} since the line started: adherence cannot be judged from the chart (not assumed good); ask the patient and the pharmacy.";
            case AdherenceStatus.NotComputable:
                return a.Uncounted > 0
                    ? $"**Adherence**: not computable: {Count(a.Uncounted, "dispense")} of {drug} without a readable days supply (or quantity and dose); ask the patient and the pharmacy."
                    : $"**Adherence**: not computable yet: the line started today.";
        }
        var covered = $"{drug} dispensed for {(a.AtLeast ? "at least " : "")}{a.Percent}% of {Period(a)} ({Count(a.Dispenses, "dispense")})";
        if (!a.Concern) return $"**Adherence**: {covered}.{uncounted}";
        // the last uncovered day, inclusive; a gap reaching today has not been refilled
        var shown = a.Gaps.TakeLast(MaxEvidenceRows).Select(g => g.To == a.WindowEnd
            ? $"from {Date(g.From)}, not refilled since ({Count(g.Days, "day")} to today)"
            : g.Days == 1 ? $"{Date(g.From)} (1 day, refilled {Date(g.To)})"
            : $"{Date(g.From)} to {Date(g.To.AddDays(-1))} ({g.Days} days, refilled {Date(g.To)})");
        var more = a.Gaps.Count > MaxEvidenceRows ? $"; and {a.Gaps.Count - MaxEvidenceRows} earlier" : "";
        return $"**Adherence concern: refill gaps**: {covered}, below {AdherenceResult.ConcernBelowPercent}% (Marin 2010: lower MMR rates with adherence at or below 90%). No supply: {string.Join("; ", shown)}{more}.{uncounted}";
    }

    private static void Interactions(StringBuilder sb, InteractionCheck check, IReadOnlyList<MedicationData> unread)
    {
        var drug = TkiNames.Name(check.Drug);
        var unreadText = unread.Count == 0 ? "" : UnreadText(unread);
        var unchecked_ = new List<string>();
        if (check.NoRowFor.Count > 0)
            unchecked_.Add($"{check.NoRowFor.Count} not checked for {drug} (the table has no verified row for {drug}): {Names(check.NoRowFor)}");
        if (check.NotChecked.Count > 0)
            unchecked_.Add($"{check.NotChecked.Count} not checked (not in the table): {Names(check.NotChecked)}");
        if (check.Medications == 0)
        {
            sb.Append(unread.Count == 0 ? "**Other medications**: none active on file, so none to check against the interaction table.\n\n"
                : $"**Other medications**: none active in what could be read; {unreadText}.\n\n");
            return;
        }
        if (unread.Count > 0) unchecked_.Add(unreadText);
        var notChecked = unchecked_.Count == 0 ? "" : "; " + string.Join("; ", unchecked_);
        if (check.Hits.Count == 0)
        {
            sb.Append(check.Checked > 0
                ? $"**Other medications**: none with an interaction for {drug} in the table ({check.Checked} checked){notChecked}.\n\n"
                : $"**Other medications**: none could be checked for {drug}: {string.Join("; ", unchecked_)}.\n\n");
            return;
        }
        sb.Append(CultureInfo.InvariantCulture, $"**Drug interactions with {drug}** (the labels' section 7):\n\n");
        foreach (var hit in check.Hits.Take(MaxEvidenceRows))
        {
            var name = hit.Medication.Names.Any(n => n.Contains(hit.Drug.Name, StringComparison.OrdinalIgnoreCase)) ? hit.Medication.Name : $"{hit.Medication.Name} ({hit.Drug.Name})";
            sb.Append(CultureInfo.InvariantCulture, $"- {name}, a {InteractionTable.ClassName(hit.Row.Class)}: {hit.Row.Advice}.\n");
        }
        if (check.Hits.Count > MaxEvidenceRows)
            sb.Append(CultureInfo.InvariantCulture, $"- and {check.Hits.Count - MaxEvidenceRows} more.\n");
        // each label cited once
        sb.Append(CultureInfo.InvariantCulture, $"\nFrom the {string.Join("; ", check.Hits.Select(h => h.Row.Source).Distinct(StringComparer.Ordinal))}.\n");
        sb.Append(unchecked_.Count > 0 ? $"\nOther medications: {string.Join("; ", unchecked_)}.\n\n" : "\n");
    }

    /// <summary>"medication statements could not be read (see the data-quality notes): checked against orders only".</summary>
    private static string UnreadText(IReadOnlyList<MedicationData> unread)
    {
        var statements = unread.Contains(MedicationData.Statements);
        var orders = unread.Contains(MedicationData.Orders);
        var what = statements && orders ? "medication orders and statements could not be read in full"
            : statements ? "medication statements could not be read" : "medication orders could not be read in full";
        var against = statements && orders ? "checked against what was read only" : statements ? "checked against orders only" : "checked against what was read only";
        return $"{what} (see the data-quality notes): {against}";
    }

    private static string Names(IReadOnlyList<string> names) =>
        $"{string.Join(", ", names.Take(MaxEvidenceRows))}{(names.Count > MaxEvidenceRows ? $" and {names.Count - MaxEvidenceRows} more" : "")}";

    /// <summary>A few words for a summary: "refill gaps (70% of 180 days covered)", "omeprazole with dasatinib".</summary>
    private static List<string> EvidenceConcerns(TherapyEvidence? e)
    {
        var parts = new List<string>();
        if (e is null) return parts;
        if (e.Adherence.Concern) parts.Add($"refill gaps ({(e.Adherence.AtLeast ? "at least " : "")}{e.Adherence.Percent}% of {e.Adherence.WindowDays} days covered)");
        var names = e.Interactions.Hits.Select(h => h.Drug.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count > 0)
            parts.Add($"{(names.Count > 2 ? $"{names[0]}, {names[1]} and {names.Count - 2} more" : string.Join(" and ", names))} with {TkiNames.Name(e.Interactions.Drug)}");
        return parts;
    }

    /// <summary>What the evidence adds to the therapy-review rule line, when it found something.</summary>
    private static string EvidenceRuleText(TherapyEvidence? e)
    {
        var parts = new List<string>();
        if (e?.Adherence.Concern == true) parts.Add($"refill gaps (days covered below {AdherenceResult.ConcernBelowPercent}%, Marin 2010)");
        if (e?.Interactions.Hits.Count > 0) parts.Add("an interacting drug");
        return parts.Count switch
        {
            0 => "",
            1 => $"; {parts[0]} is a finding of its own",
            _ => $"; {string.Join(" and ", parts)} are findings of their own",
        };
    }

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private Card Dose(DoseFinding f)
    {
        var drug = TkiNames.Name(f.Line.Drug);
        var sb = new StringBuilder();
        if (f.Concern == DoseConcern.PonatinibAboveMaintenance)
        {
            var latest = f.Latest!;
            sb.Append(CultureInfo.InvariantCulture, $"**Dose**: {drug} {f.Dose.Shown} on the current order (line {f.Line.Number}, since {Date(f.Line.Start)}); the latest BCR::ABL1, {latest.ShownIs} on {Date(latest.Date)}, is at or below 1%.\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{f.RuleIds[0]}`: ponatinib starts at 45 mg daily and is reduced to {DoseRule.PonatinibMaintenanceMg:0} mg daily once BCR::ABL1 is at or below 1% (PDQ; Cortes 2021).\n\n");
            sb.Append("**Next**: consider reducing ponatinib to 15 mg daily; if the response is lost, the label allows going back to the dose tolerated before. The decision is the treating clinician's.\n\n");
            sb.Append("Source: ").Append(Sources.PdqCitation).Append("; ").Append(Cortes2021).Append('.');
            return NewCard($"Ponatinib {f.Dose.Shown} with BCR::ABL1 {latest.ShownIs} (at or below 1%): consider reducing ponatinib to 15 mg daily", sb, Indicator.Info,
                new CardSource { Label = "PDQ; Cortes 2021", Url = Sources.PdqUrl, Topic = CardTopics.DoseReview });
        }
        var m = f.Mutation!;
        sb.Append(CultureInfo.InvariantCulture, $"**Dose**: {drug} {f.Dose.Shown} on the current order (line {f.Line.Number}, since {Date(f.Line.Start)}), with T315I on file ({Date(m.Date)}).\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{f.RuleIds[0]}`: the asciminib dose for T315I is {DoseRule.AsciminibT315IMgPerDose:0} mg twice daily; 80 mg daily (40 mg twice daily) is the dose without T315I, and asciminib is an option against T315I only at the T315I dose.\n\n");
        sb.Append("**Next**: confirm the dose with the prescriber: 200 mg twice daily for T315I.\n\n");
        sb.Append("Source: ").Append(ScemblixLabel).Append("; ").Append(Sources.PdqCitation).Append('.');
        return NewCard($"Asciminib {f.Dose.Shown} with T315I on file: the asciminib dose for T315I is 200 mg twice daily", sb, Indicator.Warning,
            new CardSource { Label = "SCEMBLIX prescribing information", Topic = CardTopics.DoseReview });
    }
}
