using System.Globalization;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Tfr;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Treatment-free remission eligibility (clinical specification §6; criteria in <see cref="TfrGuidelineCriteria"/>). Rule ids
/// <c>eln2020.tfr-eligibility</c>, <c>nccn.tfr-eligibility</c>.
/// <para><b>When</b>: on an active TKI line; never with an accelerated/blast history, an atypical transcript, a known
/// (detected) kinase-domain mutation, or a failure on record (<see cref="ResponseHistory"/>).</para>
/// <para><b>Then</b>: every criterion as met / to confirm / not met; the card shows only when none is not met.</para>
/// <para>Depth: the trailing run of valid results at MR4 or deeper up to the latest (any result shallower than MR4,
/// including an undetectable one with too few copies, ends the run); from it, results at least 90 days after the one
/// before, at least 4 of them, spanning ≥ 2 years (ELN: more than 2 years).</para>
/// <para>Readings taken: TKI duration is the exposure, days actually on TKI across all lines (interruptions, time off
/// and a lapsed order's unconfirmed time excluded); ELN's shorter duration applies when the current TKI is dasatinib,
/// nilotinib or bosutinib; ELN second line is met after intolerance, "to confirm" when the switch reason is not
/// recorded, not met after resistance, and third line or later is not met; dose changes and renewals of one TKI are
/// one line; NCCN transcript "quantifiable at some point" is met by any detectable result and otherwise to confirm;
/// ELN transcript is to confirm when an atypical transcript is co-expressed; phases not given on any diagnosis are
/// "to confirm".</para>
/// </summary>
public static class TfrEligibilityRule
{
    public static TfrEligibleFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored, EvaluationSettings settings, DateOnly today)
    {
        if (!patient.HasCmlDiagnosis || patient.CurrentLine is not { } line) return null;
        if (patient.HasAtypicalTranscript) return null;
        if (patient.Diagnoses.Any(d => d.Phase is Phase.Accelerated or Phase.Blast)) return null;
        if (ResponseHistory.FirstFailure(patient, scored, settings) is not null) return null;

        var c = TfrGuidelineCriteria.For(settings.Guideline);
        var first = patient.Lines[0];
        var criteria = new List<CriterionResult>
        {
            PhaseCriterion(patient, c),
        };
        if (c.MinimumAgeYears is { } minAge) criteria.Add(AgeCriterion(patient, minAge, today));
        var exposureDays = patient.Lines.Sum(l => l.ExposureDays(today));
        criteria.Add(DurationCriterion(c, patient.Lines, line, first.Start, exposureDays, today));
        var depth = Depth(scored, c);
        criteria.Add(depth.Criterion);
        criteria.Add(HistoryCriterion(patient, scored, c));
        criteria.Add(TranscriptCriterion(patient, scored, c));
        if (TfrEpisode.Earlier(patient, scored).LastOrDefault() is { } earlier)
            criteria.Add(new CriterionResult("previous attempt", "a second attempt is a specialist decision", CriterionStatus.ToConfirm,
                $"TKI stopped on {Date(earlier.Stop)}{(earlier.Relapse is { } r ? $", loss of MMR on {Date(r.Date)} ({r.ShownIs})" : "")}, restarted on {Date(earlier.Restart!.Start)}; time off TKI not counted"));
        criteria.Add(new CriterionResult("laboratory", TfrGuidelineCriteria.LaboratoryText, CriterionStatus.ToConfirm, "not in the chart"));
        criteria.Add(new CriterionResult("patient", TfrGuidelineCriteria.AgreementText, CriterionStatus.ToConfirm, "not in the chart"));

        if (criteria.Exists(x => x.Status == CriterionStatus.NotMet)) return null;
        var prefix = settings.Guideline == Guideline.Nccn ? "nccn" : "eln2020";
        return new TfrEligibleFinding(settings.Guideline, line, criteria, depth.Qualifying, exposureDays / 365.25m, depth.Years)
        {
            RuleIds = [$"{prefix}.tfr-eligibility"],
        };
    }

    private static CriterionResult PhaseCriterion(PatientHistory patient, TfrGuidelineCriteria c) =>
        patient.Diagnoses.Any(d => d.Phase == Phase.Chronic)
            ? new("phase", c.PhaseText, CriterionStatus.Met, "chronic phase on the diagnosis; never accelerated or blast")
            : new("phase", c.PhaseText, CriterionStatus.ToConfirm, "no phase on the diagnosis");

    private static CriterionResult AgeCriterion(PatientHistory patient, int minAge, DateOnly today)
    {
        var requirement = $"≥ {minAge}";
        if (patient.BirthDate is not { } born) return new("age", requirement, CriterionStatus.ToConfirm, "no birth date");
        var age = ClinicalTime.AgeInYears(born, today);
        return new("age", requirement, age >= minAge ? CriterionStatus.Met : CriterionStatus.NotMet, $"{age} years");
    }

    /// <summary>
    /// TKI duration is the exposure (clinical specification §1): days actually on TKI across all lines, interruptions
    /// and time off excluded, against the guideline's years counted in days from the first start.
    /// </summary>
    private static CriterionResult DurationCriterion(TfrGuidelineCriteria c, IReadOnlyList<TherapyLine> lines, TherapyLine line, DateOnly firstStart, int exposureDays, DateOnly today)
    {
        // Reading taken: ELN's shorter duration only when every line was a second-generation TKI.
        var years = lines.All(l => c.ShorterDurationDrugs.Contains(l.Drug)) ? c.ShorterTkiYears : c.TkiYears;
        var needed = ClinicalTime.DaysBetween(firstStart, firstStart.AddYears(years));
        var met = c.TkiYearsStrictlyMore ? exposureDays > needed : exposureDays >= needed;
        var sinceFirst = ClinicalTime.DaysBetween(firstStart, today);
        var off = sinceFirst - exposureDays;
        return new("TKI duration", c.DurationText, met ? CriterionStatus.Met : CriterionStatus.NotMet,
            $"{ClinicalTime.FormatYears(exposureDays / 365.25m)} years on TKI since {Date(firstStart)}{(off > 0 ? $" ({off} days off TKI not counted)" : "")}, now on {TkiNames.Name(line.Drug)}");
    }

    /// <summary>
    /// Depth (§6): the trailing run of valid results at MR4 or deeper, up to the latest; from it, results at least 90
    /// days after the one before, at least 4, spanning the guideline's years. An undetectable result without reported
    /// copies whose value would be MR4 or deeper stays in the run but makes depth "to confirm: sensitivity not
    /// reported" (Cross 2015), never met on its strength.
    /// </summary>
    private static (CriterionResult Criterion, IReadOnlyList<ScoredResult> Qualifying, decimal Years) Depth(IReadOnlyList<ScoredResult> scored, TfrGuidelineCriteria c)
    {
        var run = new List<ScoredResult>();
        for (var i = scored.Count - 1; i >= 0 && (scored[i].Level >= ResponseLevel.MR4 || ClaimsMr4WithoutCopies(scored[i])); i--) run.Insert(0, scored[i]);
        var picked = new List<ScoredResult>();
        foreach (var r in run)
            if (picked.Count == 0 || ClinicalTime.DaysBetween(picked[^1].Date, r.Date) >= TfrGuidelineCriteria.MinimumDaysBetweenTests)
                picked.Add(r);
        if (run.Count == 0)
            return (new("depth", c.DepthText, CriterionStatus.NotMet, "latest result is not MR4 or deeper"), [], 0);
        var spanEnd = run[^1].Date;
        var spanStart = run[0].Date;
        var needed = spanStart.AddYears(c.DepthYears);
        var longEnough = c.DepthStrictlyMore ? spanEnd > needed : spanEnd >= needed;
        var enough = picked.Count >= TfrGuidelineCriteria.MinimumDepthTests;
        var years = Years(spanStart, spanEnd);
        var unreported = run.Count(s => s.SensitivityNotReported);
        var evidence = $"MR4 or deeper since {Date(spanStart)} ({ClinicalTime.FormatYears(years)} years), {picked.Count} tests at least {TfrGuidelineCriteria.MinimumDaysBetweenTests} days apart";
        if (!(longEnough && enough))
            return (new("depth", c.DepthText, CriterionStatus.NotMet, evidence), picked, years);
        return unreported > 0
            ? (new("depth", c.DepthText, CriterionStatus.ToConfirm, $"{evidence}; sensitivity not reported for {unreported} undetectable result{(unreported > 1 ? "s" : "")} (no control-gene copies): confirm with the laboratory"), picked, years)
            : (new("depth", c.DepthText, CriterionStatus.Met, evidence), picked, years);
    }

    /// <summary>Undetectable, no copies reported, and its value (or a coded not detected) would be MR4 or deeper.</summary>
    private static bool ClaimsMr4WithoutCopies(ScoredResult s) =>
        s.SensitivityNotReported && (s.Result.Percent is not { } p || ResponseLevels.ForPercent(p) >= ResponseLevel.MR4);

    /// <summary>
    /// ELN 2020: first line, or second line after intolerance only (resistance: not met; reason unknown: to confirm;
    /// third line or later: not met). NCCN: no prior resistance: met when every earlier line was left for intolerance
    /// or has results on it (with no failure on record, checked before); an earlier line left for resistance is not
    /// met; one without results or reason is to confirm. Re-treatment lines after a TFR attempt are not switches.
    /// </summary>
    private static CriterionResult HistoryCriterion(PatientHistory patient, IReadOnlyList<ScoredResult> scored, TfrGuidelineCriteria c)
    {
        var switches = patient.Lines.Skip(1).Where(l => !l.Retreatment).ToList();
        var number = switches.Count + 1;
        if (switches.Count == 0)
            return new("history", c.HistoryText, CriterionStatus.Met,
                patient.Lines.Any(l => l.Retreatment) ? "no failure on record; first line (later lines are re-treatment after TFR)" : "no failure on record; first line");
        if (switches.Exists(l => l.SwitchReason == ChangeReason.Resistance))
            return new("history", c.HistoryText, CriterionStatus.NotMet, "an earlier TKI was stopped for resistance");
        if (c.FirstOrSecondLineOnly)
        {
            if (switches.Count > 1) return new("history", c.HistoryText, CriterionStatus.NotMet, $"line {number}");
            return switches[0].SwitchReason == ChangeReason.Intolerance
                ? new("history", c.HistoryText, CriterionStatus.Met, "no failure on record; second line after intolerance")
                : new("history", c.HistoryText, CriterionStatus.ToConfirm, "second line, reason for the switch not recorded: confirm it was for intolerance");
        }
        var earlier = patient.Lines.Where(l => l.Number < patient.Lines[^1].Number).ToList();
        var unknown = earlier.Where(l => !LeftForIntolerance(patient, l) && !scored.Any(s => l.Covers(s.Date))).ToList();
        return unknown.Count == 0
            ? new("history", c.HistoryText, CriterionStatus.Met, $"no failure on record on any of {earlier.Count + 1} lines")
            : new("history", c.HistoryText, CriterionStatus.ToConfirm,
                $"no results on file for {string.Join(", ", unknown.Select(l => TkiNames.Name(l.Drug)))} and no reason for leaving it: confirm there was no resistance");
    }

    private static bool LeftForIntolerance(PatientHistory patient, TherapyLine line) =>
        patient.Lines.FirstOrDefault(l => l.Number == line.Number + 1) is { Retreatment: false, SwitchReason: ChangeReason.Intolerance };

    private static CriterionResult TranscriptCriterion(PatientHistory patient, IReadOnlyList<ScoredResult> scored, TfrGuidelineCriteria c)
    {
        if (c.TypicalTranscriptRequired)
            return patient.Transcript.IsTypical() && patient.CoexpressedAtypical is null
                ? new("transcript", c.TranscriptText, CriterionStatus.Met, patient.Transcript.Name())
                : patient.CoexpressedAtypical is { } atypical
                    ? new("transcript", c.TranscriptText, CriterionStatus.ToConfirm, $"{patient.Transcript.Name()} with {atypical.Name()}: confirm with the laboratory")
                    : new("transcript", c.TranscriptText, CriterionStatus.ToConfirm, "transcript type not in the chart");
        var quantified = scored.FirstOrDefault(s => !s.Result.IsUndetectable);
        return quantified is not null
            ? new("transcript", c.TranscriptText, CriterionStatus.Met, $"quantified {quantified.Shown} on {Date(quantified.Date)}")
            : new("transcript", c.TranscriptText, CriterionStatus.ToConfirm, "no quantified result on file");
    }

    private static decimal Years(DateOnly from, DateOnly to) => ClinicalTime.YearsBetween(from, to);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
