using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Accelerated or blast phase (clinical specification §3; ELN 2020; PDQ). Rule ids <c>advanced-phase.accelerated</c>,
/// <c>advanced-phase.blast</c>.
/// <para><b>When</b>: a CML diagnosis whose current phase (the latest dated diagnosis with a phase) is accelerated or
/// blast. <b>Then</b>: a critical finding naming the phase and the latest result, with what to consider (referral to
/// a CML specialist centre, allogeneic transplant evaluation, mutation analysis). The chronic-phase milestones do not
/// apply: no optimal / warning / failure card is given, and nothing says "continue the current TKI".</para>
/// <para>Reading taken: a later diagnosis in chronic phase (a second chronic phase) brings the milestones back; the
/// history of accelerated or blast phase still rules out TFR (§6).</para>
/// </summary>
public static class AdvancedPhaseRule
{
    public static AdvancedPhaseFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored)
    {
        if (!patient.HasCmlDiagnosis || patient.CurrentPhase is not (Phase.Accelerated or Phase.Blast))
            return null;
        var phase = patient.CurrentPhase;
        var since = patient.Diagnoses.Where(d => d.Phase == phase).Select(d => d.Date).Where(d => d is not null).Min();
        var line = patient.CurrentLine;
        var latest = scored.Count > 0 ? scored[^1] : null;
        return new AdvancedPhaseFinding(phase, since, line, latest)
        {
            RuleIds = [phase == Phase.Blast ? "advanced-phase.blast" : "advanced-phase.accelerated"],
        };
    }
}
