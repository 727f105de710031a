using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
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
        // RULES.md §9: no CML diagnosis and no BCR::ABL1 result -> no cards at all.
        if (!patient.HasCmlDiagnosis && patient.BcrAbl1ResultsSeen == 0) return EvaluationResult.Empty;

        var scored = patient.Results.OrderBy(r => r.Date).ThenBy(r => r.SourceId, StringComparer.Ordinal)
            .Select(ScoredResult.Score).ToList();
        var findings = new List<Finding>();
        var response = MolecularResponseRule.Evaluate(patient, scored, settings);
        if (response is not null) findings.Add(response);
        if (TherapyReviewRule.Evaluate(patient, response) is { } review) findings.Add(review);
        if (MutationAnalysisRule.Evaluate(patient, scored, response) is { } mutation) findings.Add(mutation);
        if (MonitoringOverdueRule.Evaluate(patient, scored, today) is { } overdue) findings.Add(overdue);
        if (DataQualityRule.Evaluate(patient, scored) is { } quality) findings.Add(quality);
        return new EvaluationResult(findings);
    }
}
