using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Rules;

namespace CmlCds.Clinical.Evaluation;

/// <summary>
/// Runs every rule over one patient. Pure and deterministic: the same history and settings give the same findings.
/// </summary>
public static class CmlEvaluator
{
    /// <param name="today">The clinic's date, from the injected clock: it decides what is overdue.</param>
    public static EvaluationResult Evaluate(PatientHistory patient, EvaluationSettings settings, DateOnly today)
    {
        // clinical specification §9: no CML diagnosis and no BCR::ABL1 result -> no cards at all.
        if (!patient.HasCmlDiagnosis && patient.BcrAbl1ResultsSeen == 0) return EvaluationResult.Empty;

        var scored = patient.Series.Scored;
        var findings = new List<Finding>();
        var episode = Tfr.TfrEpisode.Latest(patient, scored);
        // Clinical specification §3: in accelerated or blast phase there is no optimal / warning / failure card.
        var advanced = AdvancedPhaseRule.Evaluate(patient, scored);
        var response = advanced is null ? MolecularResponseRule.Evaluate(patient, scored, settings, today) : null;
        if (response is not null)
            response = response with { Pregnancy = patient.Pregnancy, MutationsOnFile = patient.Mutations.Where(m => m.AnyDetected).ToList() };
        if (response is not null && episode is { Restart: { } restart, Relapse: { } relapse } && restart == response.Line)
            response = response with
            {
                Reasons = [.. response.Reasons, $"TKI restarted on {restart.Start:yyyy-MM-dd} after loss of MMR in treatment-free remission ({relapse.Shown} on {relapse.Date:yyyy-MM-dd})."],
            };
        // Clinical specification §11: adherence and interactions on the current TKI, on warning / failure and therapy review.
        var evidence = patient.CurrentLine is { } current ? TherapyEvidenceRule.Evaluate(patient, current, today) : null;
        if (response is { Category: ResponseCategory.Warning or ResponseCategory.Failure } && evidence is not null)
            response = response with { Evidence = evidence };
        if (advanced is not null) findings.Add(advanced);
        if (response is not null) findings.Add(response);
        if (TherapyReviewRule.Evaluate(patient, response) is { } review)
            findings.Add(evidence is null ? review : review with { Evidence = evidence, RuleIds = [.. review.RuleIds, .. TherapyEvidenceRule.RuleIds(evidence)] });
        if (DoseRule.Evaluate(patient, scored) is { } dose) findings.Add(dose);
        if (MutationAnalysisRule.Evaluate(patient, scored, response, episode, settings.Guideline) is { } mutation) findings.Add(mutation);
        if (MonitoringOverdueRule.Evaluate(patient, scored, today) is { } overdue) findings.Add(overdue);
        if (TfrEligibilityRule.Evaluate(patient, scored, settings, today) is { } eligible) findings.Add(eligible);
        if (patient.HasCmlDiagnosis && TfrMonitoringRule.Evaluate(episode, today, patient.Pregnancy) is { } tfr) findings.Add(tfr);
        if (OffTreatmentRule.Evaluate(patient, scored, episode, today) is { } off) findings.Add(off);
        if (DataQualityRule.Evaluate(patient, scored) is { } quality) findings.Add(quality);
        return new EvaluationResult(findings);
    }
}
