using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Therapy review (RULES.md §5; PDQ, ELN 2020). Rule ids <c>therapy-review.mutation</c>,
/// <c>therapy-review.failure</c>, <c>therapy-review.warning</c>.
/// <para><b>When</b> / <b>Then</b>:</para>
/// <list type="bullet">
/// <item>A detected mutation on file (any date) makes the current TKI ineffective (<see cref="MutationResistanceTable"/>)
/// → critical, naming the options left by every detected mutation.</item>
/// <item>Else a response failure (NCCN RED) → recommend a review (warning): adherence and interactions first, then a
/// switch and transplant evaluation (ELN 2025 asks for an individual decision).</item>
/// <item>Else a response warning (NCCN YELLOW/ORANGE) → consider a review (info).</item>
/// </list>
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
        var rows = all.Select(MutationResistanceTable.Row).Where(r => r is not null).Select(r => r!).ToList();
        var blocking = all.Where(m => MutationResistanceTable.Row(m)?.NotEffective.Contains(line.Drug) == true).ToList();
        if (blocking.Count > 0)
        {
            var ineffective = rows.SelectMany(r => r.NotEffective).ToHashSet();
            var options = rows.Where(r => r.NotEffective.Contains(line.Drug)).Select(MutationResistanceTable.OptionsOf)
                .Aggregate((IEnumerable<Tki>)Enum.GetValues<Tki>(), (acc, o) => acc.Intersect(o))
                .Where(t => !ineffective.Contains(t)).ToList();
            var evidence = detected.Where(m => m.Mutations.Any(blocking.Contains)).ToList();
            return new TherapyReviewFinding(ActionStrength.Critical, line, response, blocking, options,
                rows.Any(r => r.Transplant && r.NotEffective.Contains(line.Drug)), evidence)
            { RuleIds = ["therapy-review.mutation"] };
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
