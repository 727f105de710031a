using CmlCds.Clinical.Patients;
using CmlCds.Fhir;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Reads pregnancy (clinical specification §1, §7): a Condition SNOMED CT 77386006 that is active, or the latest
/// pregnancy status Observation (LOINC 82810-3) with the answer pregnant (LA15173-0), from the conditions and the
/// optional <c>pregnancy</c> prefetch key.
/// <para>Readings taken where the specification is silent, each the one that withholds a TKI order rather than
/// suggests one: an active pregnancy Condition counts whatever a later status says; otherwise the latest status
/// decides (not pregnant after pregnant clears it); a status of any age counts (the card shows its date); a
/// Condition without a clinical status counts as active (a pregnancy recorded without saying it ended).</para>
/// </summary>
internal static class PregnancyMapper
{
    public static bool IsPregnancy(Condition c) => c.Code?.Has(Codes.Snomed, Codes.PregnancyCondition) == true;

    public static bool IsPregnancyStatus(Observation o) => o.Code?.Has(Codes.Loinc, Codes.PregnancyStatus) == true;

    public static PregnancyRecord? Read(Condition c)
    {
        var verification = c.VerificationStatus?.Coding?.FirstOrDefault()?.Code;
        if (verification is "entered-in-error" or "refuted") return null;
        var clinical = c.ClinicalStatus?.Coding?.FirstOrDefault()?.Code;
        if (clinical is not (null or "active" or "recurrence" or "relapse")) return null;
        var dateText = c.OnsetDateTime ?? c.OnsetPeriod?.Start ?? c.RecordedDate;
        return new PregnancyRecord(c.LocalReference, FhirDate.TryParse(dateText, out var d, out _) ? d : null);
    }

    /// <summary>The status with whether it says pregnant; null when it is not final, undated or in the future.</summary>
    public static (PregnancyRecord Record, bool Pregnant)? Read(Observation o, DateOnly today)
    {
        if (o.Status is not ("final" or "amended" or "corrected")) return null;
        if (!FhirDate.TryParse(PatientHistoryMapper.ObservationDateText(o), out var date, out _) || date > today) return null;
        return (new PregnancyRecord(o.LocalReference, date), o.ValueCodeableConcept?.Has(Codes.Loinc, Codes.Pregnant) == true);
    }

    public static PregnancyRecord? Current(IReadOnlyList<(PregnancyRecord Record, bool Pregnant, bool Condition)> seen)
    {
        if (seen.FirstOrDefault(s => s.Condition) is { Record: { } condition }) return condition;
        var latest = seen.OrderBy(s => s.Record.Date ?? DateOnly.MinValue).ThenBy(s => s.Pregnant).LastOrDefault();
        return latest.Pregnant ? latest.Record : null;
    }
}
