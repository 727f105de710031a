using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Adherence and interactions on the current TKI (clinical specification §11; ELN 2020 and NCCN: check both before any switch).
/// Rule ids, added to the therapy-review card's when they apply: <c>therapy-review.adherence-concern</c>,
/// <c>therapy-review.interaction</c>.
/// <para><b>Adherence</b>: the PDC of <see cref="Adherence.Compute"/>; below 90% (Marin 2010) it is a finding of its own,
/// "adherence concern: refill gaps", with the gaps. No dispense of the current TKI: "no dispense records", never
/// assumed good. Dispenses without a readable supply: "not computable", said so.</para>
/// <para><b>Interactions</b>: every other medication that may be being taken, checked against
/// <see cref="InteractionTable"/>; one matched to no drug of the table is "not checked".</para>
/// </summary>
public static class TherapyEvidenceRule
{
    public const string AdherenceConcernRule = "therapy-review.adherence-concern";
    public const string InteractionRule = "therapy-review.interaction";

    /// <remarks>Dispense records that could not be read (or not in full) make adherence not computable; orders or
    /// statements that could not be read are named beside the interactions, which were checked against the rest only.</remarks>
    public static TherapyEvidence Evaluate(PatientHistory patient, TherapyLine line, DateOnly today)
    {
        var adherence = patient.UnreadMedicationData.Contains(MedicationData.Dispenses)
            ? Adherence.Unreadable(line, today)
            : Adherence.Compute(line, patient.Dispenses, today);
        return new(adherence, InteractionTable.Check(line.Drug, patient.OtherMedications),
            patient.UnreadMedicationData.Where(d => d != MedicationData.Dispenses).Order().ToList());
    }

    /// <summary>The rule ids the evidence adds to the therapy-review card.</summary>
    public static IEnumerable<string> RuleIds(TherapyEvidence evidence)
    {
        if (evidence.Adherence.Concern) yield return AdherenceConcernRule;
        if (evidence.Interactions.Hits.Count > 0) yield return InteractionRule;
    }
}
