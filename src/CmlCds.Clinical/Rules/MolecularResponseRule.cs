using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Molecular response against the milestone in force (clinical specification §3). Rule ids:
/// <c>{eln2020|nccn}.milestone.{3m|6m|12m}</c>, <c>eln2020.milestone.3m.confirmed</c>,
/// <c>{eln2020|nccn}.loss-of-mmr</c>, <c>{eln2020|nccn}.resistance-mutation</c>, <c>{eln2020|nccn}.uncertain-variant</c>.
/// <para><b>When</b>: a CML diagnosis, a typical (or unknown) transcript, an active TKI line, and a valid %IS result
/// on that line. <b>Not</b> for an atypical transcript (IS milestones do not apply; clinical specification §9).</para>
/// <para><b>Then</b>: the category of the row in force (<see cref="Eln2020Milestones"/> or
/// <see cref="NccnMilestones"/>), raised by:</para>
/// <list type="bullet">
/// <item>ELN 3 months: &gt; 10% with the previous result 1–3 calendar months earlier, itself at ≥ 70 days and &gt; 10% → failure.</item>
/// <item>Loss of MMR: MMR reached earlier on this line, or on an earlier line left for intolerance (or for a reason
/// not recorded, with no failure on record on it), and the latest result &gt; 0.1% → at least warning; &gt; 1% →
/// failure. The milestone row of a new line and loss of MMR are both evaluated; the worse category wins.</item>
/// <item>A known resistance mutation (the table of §5) detected on this line → failure; a detected variant in no row
/// and not reported benign → at least warning ("variant of uncertain significance: discuss with the laboratory").</item>
/// </list>
/// <para><b>Re-treatment</b> after a TFR relapse (<see cref="TherapyLine.Retreatment"/>): no milestone row; MMR regained
/// since the restart → optimal (<c>.retreatment.mmr-regained</c>); not yet regained → info before 3 calendar months,
/// a warning from 3 (<c>.retreatment.mmr-not-regained</c>). Loss of MMR and mutations are evaluated as on any line.</para>
/// <para>Readings taken where the specification is silent (the safer one each time):</para>
/// <list type="bullet">
/// <item>Loss of MMR and a detected mutation apply at any time on the line, also before day 70 (a patient switched
/// for intolerance while in MMR can lose it early) and under NCCN as well as ELN.</item>
/// <item>Any detected kinase-domain mutation dated on the current line counts as a resistance mutation.</item>
/// <item>Undetectable results take part at the level they were scored at (<see cref="ScoredResult"/>).</item>
/// </list>
/// </summary>
public static class MolecularResponseRule
{
    /// <param name="today">When given, "MMR not yet regained" after a re-treatment counts the months to today, not to the latest result.</param>
    public static ResponseFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored, EvaluationSettings settings, DateOnly? today = null)
    {
        if (!patient.HasCmlDiagnosis || patient.HasAtypicalTranscript) return null;
        if (patient.CurrentLine is not { } line) return null;

        var onLine = scored.Where(s => line.Covers(s.Date)).ToList();
        if (onLine.Count == 0) return null;
        var latest = onLine[^1];
        // Re-treatment after a TFR relapse: first-line milestones do not apply (§3).
        var milestone = line.Retreatment ? null : MilestoneWindows.For(line.DaysOn(latest.Date));
        var prefix = settings.Guideline == Guideline.Nccn ? "nccn" : "eln2020";

        var ruleIds = new List<string>();
        var reasons = new List<string>();
        ResponseCategory? category = null;
        NccnColour? colour = null;
        var rowText = "before day 70 on this TKI: no milestone in force";
        DateOnly? regainedOn = null;

        if (line.Retreatment)
        {
            var months = ClinicalTime.CompletedCalendarMonths(line.Start, today is { } now && now > latest.Date ? now : latest.Date);
            if (onLine.FirstOrDefault(s => s.Level >= ResponseLevel.MMR) is { } regained)
            {
                regainedOn = regained.Date;
                category = ResponseCategory.Optimal;
                ruleIds.Add($"{prefix}.retreatment.mmr-regained");
                rowText = $"re-treatment after a TFR relapse: MMR regained on {FormatDate(regained.Date)}";
            }
            else
            {
                category = months >= RetreatmentMmrMonths ? ResponseCategory.Warning : ResponseCategory.Optimal;
                ruleIds.Add($"{prefix}.retreatment.mmr-not-regained");
                rowText = $"re-treatment after a TFR relapse: MMR not yet regained, {ClinicalTime.FormatMonths(line.MonthsOn(latest.Date))} months after restarting at the latest result (expected within 3–6 months; a warning from {RetreatmentMmrMonths} months, counted to today)";
            }
        }

        if (milestone is { } m)
        {
            ruleIds.Add($"{prefix}.milestone.{MilestoneWindows.Short(m)}");
            (var rowCategory, colour, rowText) = MilestoneClassifier.Classify(settings, m, latest.EffectivePercent);
            category = rowCategory;
            if (settings.Guideline == Guideline.Eln2020)
            {
                if (m == Milestone.Month3 && ConfirmingResult(line, onLine) is { } previous)
                {
                    category = ResponseCategory.Failure;
                    rowText = $"{MilestoneWindows.Label(m)}, > {Eln2020Milestones.Month3Ceiling}% confirmed: failure";
                    ruleIds.Add("eln2020.milestone.3m.confirmed");
                    reasons.Add($"Confirmed: the previous result, {previous.Shown} on {FormatDate(previous.Date)}, was also above {Eln2020Milestones.Month3Ceiling}%.");
                }
            }
        }

        var carried = CarriedLines(patient, line, scored, settings);
        var earlier = scored.Where(s => s.Date < line.Start && carried.Any(l => l.Covers(s.Date))).ToList();
        if (LossOfMmr(onLine, earlier) is { } nadir)
        {
            var raised = latest.EffectivePercent > ResponseLevels.Row(ResponseLevel.MR2).MaxPercent ? ResponseCategory.Failure : ResponseCategory.Warning;
            if (category is null || raised > category)
            {
                if (category is not null) rowText += $"; raised to {raised.ToString().ToLowerInvariant()} by loss of MMR";
                category = raised;
            }
            ruleIds.Add($"{prefix}.loss-of-mmr");
            var where = "on this line";
            if (nadir.Date < line.Start && carried.FirstOrDefault(l => l.Covers(nadir.Date)) is { } from)
            {
                var left = patient.Lines[from.Number].SwitchReason == ChangeReason.Intolerance ? "intolerance" : "a reason not recorded";
                where = $"on {TkiNames.Name(from.Drug)}, left for {left}";
            }
            reasons.Add($"Loss of MMR: MMR was reached {where} ({nadir.Shown} on {FormatDate(nadir.Date)}) and the latest result is above 0.1%.");
        }

        var onLineMutations = patient.Mutations.Where(m => m.AnyDetected && line.Covers(m.Date)).OrderBy(m => m.Date).ToList();
        if (onLineMutations.LastOrDefault(m => m.Mutations.Any(MutationResistanceTable.IsKnown)) is { } mutation)
        {
            category = ResponseCategory.Failure;
            ruleIds.Add($"{prefix}.resistance-mutation");
            reasons.Add($"Kinase domain mutation {string.Join(", ", mutation.Mutations.Where(MutationResistanceTable.IsKnown))} found on {FormatDate(mutation.Date)}, on this line.");
        }
        var uncertain = onLineMutations.SelectMany(m => m.Mutations).Where(m => !MutationResistanceTable.IsKnown(m)).Distinct(StringComparer.Ordinal).ToList();
        if (uncertain.Count > 0)
        {
            if (category is null or ResponseCategory.Optimal) category = ResponseCategory.Warning;
            ruleIds.Add($"{prefix}.uncertain-variant");
            reasons.Add($"Variant of uncertain significance {string.Join(", ", uncertain)} found on this line: discuss with the laboratory.");
        }

        if (category is null) return null;
        return new ResponseFinding(settings.Guideline, milestone, category.Value, colour, line, latest, onLine, rowText, reasons)
        {
            RuleIds = ruleIds,
            MmrRegainedOn = regainedOn,
            Kinetics = milestone == Milestone.Month3 && latest.EffectivePercent > Eln2020Milestones.Month3Ceiling ? HalvingTime(line, scored, latest) : null,
        };
    }

    /// <summary>After restarting TKI for a TFR relapse, MMR not regained by this many months is a warning (§3; ELN 2020, NCCN: 3–6 months).</summary>
    public const int RetreatmentMmrMonths = 3;

    /// <summary>Days before the line start within which a result counts as the baseline (clinical specification §3, Kinetics).</summary>
    public const int BaselineWindowDays = 30;

    private static Kinetics? HalvingTime(TherapyLine line, IReadOnlyList<ScoredResult> scored, ScoredResult latest)
    {
        var baseline = scored.LastOrDefault(s => s.Date <= line.Start && s.Date >= line.Start.AddDays(-BaselineWindowDays) && !s.Result.IsUndetectable);
        if (baseline is null) return null;
        var days = ClinicalTime.DaysBetween(baseline.Date, latest.Date);
        var ratio = (double)baseline.EffectivePercent / (double)latest.EffectivePercent;
        return new Kinetics(baseline, latest, ratio > 1 ? days * Math.Log(2) / Math.Log(ratio) : null);
    }

    /// <summary>ELN 3-month confirmation: the result just before the latest, at ≥ 70 days, 1–3 calendar months earlier, also &gt; 10%.</summary>
    internal static ScoredResult? ConfirmingResult(TherapyLine line, List<ScoredResult> onLine)
    {
        var latest = onLine[^1];
        if (latest.EffectivePercent <= Eln2020Milestones.Month3Ceiling || onLine.Count < 2) return null;
        var previous = onLine[^2];
        var months = ClinicalTime.CompletedCalendarMonths(previous.Date, latest.Date);
        var apart = months >= Eln2020Milestones.ConfirmationMinMonths
            && previous.Date >= latest.Date.AddMonths(-Eln2020Milestones.ConfirmationMaxMonths);
        return apart && line.DaysOn(previous.Date) >= MilestoneWindows.Month3FromDay
            && previous.EffectivePercent > Eln2020Milestones.Month3Ceiling ? previous : null;
    }

    /// <summary>
    /// The deepest earlier result that reached MMR, on this line or on the <paramref name="earlier"/> lines it carries
    /// over from, when the latest is above 0.1%.
    /// </summary>
    private static ScoredResult? LossOfMmr(List<ScoredResult> onLine, IReadOnlyList<ScoredResult> earlier)
    {
        var latest = onLine[^1];
        if (latest.Level >= ResponseLevel.MMR) return null;
        return earlier.Concat(onLine.Take(onLine.Count - 1)).Where(s => s.Level >= ResponseLevel.MMR).MinBy(s => s.EffectivePercent);
    }

    /// <summary>
    /// Earlier lines whose MMR carries over to this one (clinical specification §3): walking back, each line left for
    /// intolerance, or for a reason not recorded with no failure on record on it; a switch for resistance, a failure
    /// or a re-treatment stops the walk.
    /// </summary>
    private static IReadOnlyList<TherapyLine> CarriedLines(PatientHistory patient, TherapyLine line, IReadOnlyList<ScoredResult> scored, EvaluationSettings settings)
    {
        var carried = new List<TherapyLine>();
        for (var next = line; next.Number > 1 && !next.Retreatment; )
        {
            var previous = patient.Lines[next.Number - 2];
            var carries = next.SwitchReason == ChangeReason.Intolerance
                || (next.SwitchReason == ChangeReason.Unknown && Tfr.ResponseHistory.FailureOn(previous, scored, settings) is null);
            if (!carries) break;
            carried.Add(previous);
            next = previous;
        }
        return carried;
    }

    internal static string FormatDate(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
