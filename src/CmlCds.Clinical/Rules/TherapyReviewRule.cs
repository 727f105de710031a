using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Therapy review (clinical specification §5; PDQ, ELN 2020). Rule ids <c>therapy-review.mutation</c>,
/// <c>therapy-review.failure</c>, <c>therapy-review.warning</c>.
/// <para><b>When</b> / <b>Then</b>:</para>
/// <list type="bullet">
/// <item>A detected mutation on file (any date) makes the current TKI ineffective (<see cref="MutationResistanceTable"/>)
/// → critical, naming the options left by every detected mutation (minus the current TKI; with T315I, transplant
/// evaluation too). When a detected variant is in no row, options are not computed: discuss with the laboratory and
/// a CML specialist. On this card the next step is the switch; adherence is not "first".</item>
/// <item>Else a response failure (NCCN RED) → recommend a review (warning): adherence and interactions first, then a
/// switch and transplant evaluation (ELN 2025 asks for an individual decision).</item>
/// <item>Else a response warning (NCCN YELLOW/ORANGE) → consider a review (info).</item>
/// </list>
/// Asciminib with T315I on file is the mutation path too unless the order's dose is readable and at least 200 mg twice
/// daily (RULES §5: asciminib acts on T315I only at the T315I dose): options asciminib at 200 mg twice daily, and the
/// others T315I leaves; an unreadable dose is not called low, the card asks to confirm it.
/// Reading taken: a mutation stays "on file" once detected, even if a later analysis on another TKI is negative
/// (resistant clones can re-emerge); the safer reading.
/// </summary>
public static class TherapyReviewRule
{
    public static TherapyReviewFinding? Evaluate(PatientHistory patient, ResponseFinding? response)
    {
        if (!patient.HasCmlDiagnosis || patient.CurrentLine is not { } line) return null;

        var detected = patient.Mutations.Where(m => m.AnyDetected).ToList();
        var all = detected.SelectMany(m => m.Mutations).Distinct(StringComparer.Ordinal).ToList();
        var blocking = all.Where(m => MutationResistanceTable.RulesOut(m, line.Drug)).ToList();
        var asciminibT315I = line.Drug == Tki.Asciminib && blocking.Count == 0 && all.Contains(MutationResistanceTable.T315I)
            && line.CurrentDose is not { MgPerDose: >= DoseRule.AsciminibT315IMgPerDose, DosesPerDay: >= DoseRule.AsciminibT315IDosesPerDay };
        if (asciminibT315I) blocking.Add(MutationResistanceTable.T315I);
        if (blocking.Count > 0)
        {
            var options = MutationResistanceTable.Options(all, line.Drug);
            if (asciminibT315I && options is not null) options = [Tki.Asciminib, .. options];
            var evidence = detected.Where(m => m.Mutations.Any(all.Contains)).ToList();
            return new TherapyReviewFinding(ActionStrength.Critical, line, response, blocking, options ?? [],
                all.Contains(MutationResistanceTable.T315I), evidence)
            {
                RuleIds = ["therapy-review.mutation"],
                Unclassified = all.Where(m => !MutationResistanceTable.IsKnown(m)).ToList(),
                AsciminibT315I = asciminibT315I ? new AsciminibT315I(line.CurrentDose) : null,
            };
        }

        return response?.Category switch
        {
            ResponseCategory.Failure => new TherapyReviewFinding(ActionStrength.Recommend, line, response, [], [], false, [])
            { RuleIds = ["therapy-review.failure"] },
            ResponseCategory.Warning => new TherapyReviewFinding(ActionStrength.Consider, line, response, [], [], false, [])
            { RuleIds = ["therapy-review.warning"] },
            _ => null,
        };
    }
}
