using CmlCds.Clinical.Patients;
using CmlCds.Fhir.Conformance;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// The project's profiles (fhir-profiles/StructureDefinition-*.json) and which one a resource is read under: the
/// resource is recognised by the same ValueSets the profile binds its code to.
/// </summary>
public static class CmlProfiles
{
    public const string BcrAbl1IsResult = Codes.CanonicalBase + "/StructureDefinition/cml-bcr-abl1-is-result";
    public const string KdMutationResult = Codes.CanonicalBase + "/StructureDefinition/cml-kd-mutation-result";
    public const string TkiMedicationRequest = Codes.CanonicalBase + "/StructureDefinition/cml-tki-medication-request";
    public const string TkiMedicationStatement = Codes.CanonicalBase + "/StructureDefinition/cml-tki-medication-statement";
    public const string TkiMedicationDispense = Codes.CanonicalBase + "/StructureDefinition/cml-tki-medication-dispense";
    public const string CmlCondition = Codes.CanonicalBase + "/StructureDefinition/cml-condition";

    public static ConformancePackage Package => ConformancePackage.Embedded;

    /// <summary>
    /// The profile the service reads this resource under, or null when it reads it under none (a patient, a test
    /// order, a non-IS ratio, a medication that is not a TKI...). <paramref name="medications"/> resolves
    /// <c>medicationReference</c>s.
    /// </summary>
    public static string? ProfileFor(Resource resource, IReadOnlyDictionary<string, OtherResource>? medications = null) => resource switch
    {
        Observation o when ObservationMapper.IsInternationalScale(o) => BcrAbl1IsResult,
        Observation o when MutationMapper.IsMutationAnalysis(o) => KdMutationResult,
        Condition c when ConditionMapper.IsCml(c) => CmlCondition,
        MedicationRequest mr when MedicationMapper.Identify(mr.Medication, medications ?? NoMedications) is not null => TkiMedicationRequest,
        MedicationStatement ms when MedicationMapper.Identify(ms.Medication, medications ?? NoMedications) is not null => TkiMedicationStatement,
        MedicationDispense md when MedicationMapper.Identify(md.Medication, medications ?? NoMedications) is not null => TkiMedicationDispense,
        _ => null,
    };

    /// <summary>One data-quality note per violation (used with a caveat, not set aside), naming the profile element.</summary>
    public static void AddNotes(Resource resource, string profile, DateOnly? date, List<DataQualityNote> notes)
    {
        foreach (var v in Package.Validate(resource, profile))
            notes.Add(new DataQualityNote(v.Code, resource.LocalReference, date,
                $"Does not conform to the {v.ProfileTitle} profile: {v.ElementId} {v.Message}.", SetAside: false));
    }

    private static readonly IReadOnlyDictionary<string, OtherResource> NoMedications = new Dictionary<string, OtherResource>();
}
