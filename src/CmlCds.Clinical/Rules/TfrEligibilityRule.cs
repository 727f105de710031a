using System.Globalization;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Tfr;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Treatment-free remission eligibility (RULES.md §6; criteria in <see cref="TfrGuidelineCriteria"/>). Rule ids
/// <c>eln2020.tfr-eligibility</c>, <c>nccn.tfr-eligibility</c>.
/// <para><b>When</b>: on an active TKI line; never with an accelerated/blast history, an atypical transcript, a known
/// (detected) kinase-domain mutation, or a failure on record (<see cref="ResponseHistory"/>).</para>
/// <para><b>Then</b>: every criterion as met / to confirm / not met; the card shows only when none is not met.</para>
/// <para>Depth: the trailing run of valid results at MR4 or deeper up to the latest (any result shallower than MR4,
/// including an undetectable one with too few copies, ends the run); from it, results at least 90 days after the one
/// before, at least 4 of them, spanning ≥ 2 years (ELN: more than 2 years).</para>
/// <para>Readings taken: TKI duration counts from the start of the first line to today; ELN's shorter duration applies
/// when the current TKI is dasatinib, nilotinib or bosutinib; ELN second line is "to confirm" (the switch reason,
/// intolerance or not, is not coded) and third line or later is not met; NCCN transcript "quantifiable at some point"
/// is met by any detectable result and otherwise to confirm; phases not given on any diagnosis are "to confirm".</para>
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
        criteria.Add(DurationCriterion(c, line, first.Start, today));
        var depth = Depth(scored, c);
        criteria.Add(depth.Criterion);
        criteria.Add(HistoryCriterion(patient, c));
        criteria.Add(TranscriptCriterion(patient, scored, c));
        criteria.Add(new CriterionResult("laboratory", TfrGuidelineCriteria.LaboratoryText, CriterionStatus.ToConfirm, "not in the chart"));
        criteria.Add(new CriterionResult("patient", TfrGuidelineCriteria.AgreementText, CriterionStatus.ToConfirm, "not in the chart"));

        if (criteria.Exists(x => x.Status == CriterionStatus.NotMet)) return null;
        var prefix = settings.Guideline == Guideline.Nccn ? "nccn" : "eln2020";
        return new TfrEligibleFinding(settings.Guideline, line, criteria, depth.Qualifying, Years(first.Start, today), depth.Years)
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

    private static CriterionResult DurationCriterion(TfrGuidelineCriteria c, TherapyLine line, DateOnly firstStart, DateOnly today)
    {
        var years = c.ShorterDurationDrugs.Contains(line.Drug) ? c.ShorterTkiYears : c.TkiYears;
        var threshold = firstStart.AddYears(years);
        var met = c.TkiYearsStrictlyMore ? today > threshold : today >= threshold;
        return new("TKI duration", c.DurationText, met ? CriterionStatus.Met : CriterionStatus.NotMet,
            $"{ClinicalTime.FormatYears(Years(firstStart, today))} years since {Date(firstStart)}, now on {TkiNames.Name(line.Drug)}");
    }

    private static (CriterionResult Criterion, IReadOnlyList<ScoredResult> Qualifying, decimal Years) Depth(IReadOnlyList<ScoredResult> scored, TfrGuidelineCriteria c)
    {
        var run = new List<ScoredResult>();
        for (var i = scored.Count - 1; i >= 0 && scored[i].Level >= ResponseLevel.MR4; i--) run.Insert(0, scored[i]);
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
        var evidence = $"MR4 or deeper since {Date(spanStart)} ({ClinicalTime.FormatYears(years)} years), {picked.Count} tests at least {TfrGuidelineCriteria.MinimumDaysBetweenTests} days apart";
        return (new("depth", c.DepthText, longEnough && enough ? CriterionStatus.Met : CriterionStatus.NotMet, evidence), picked, years);
    }

    private static CriterionResult HistoryCriterion(PatientHistory patient, TfrGuidelineCriteria c)
    {
        var lines = patient.Lines.Count;
        if (!c.FirstOrSecondLineOnly || lines == 1)
            return new("history", c.HistoryText, CriterionStatus.Met, $"no failure on record; line {lines}");
        return lines == 2
            ? new("history", c.HistoryText, CriterionStatus.ToConfirm, "second line: confirm the switch was for intolerance")
            : new("history", c.HistoryText, CriterionStatus.NotMet, $"line {lines}");
    }

    private static CriterionResult TranscriptCriterion(PatientHistory patient, IReadOnlyList<ScoredResult> scored, TfrGuidelineCriteria c)
    {
        if (c.TypicalTranscriptRequired)
            return patient.Transcript is Transcript.E13a2 or Transcript.E14a2
                ? new("transcript", c.TranscriptText, CriterionStatus.Met, patient.Transcript.ToString().ToLowerInvariant())
                : new("transcript", c.TranscriptText, CriterionStatus.ToConfirm, "transcript type not in the chart");
        var quantified = scored.FirstOrDefault(s => !s.Result.IsUndetectable);
        return quantified is not null
            ? new("transcript", c.TranscriptText, CriterionStatus.Met, $"quantified {quantified.Result.Display}% on {Date(quantified.Date)}")
            : new("transcript", c.TranscriptText, CriterionStatus.ToConfirm, "no quantified result on file");
    }

    private static decimal Years(DateOnly from, DateOnly to) => ClinicalTime.YearsBetween(from, to);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
