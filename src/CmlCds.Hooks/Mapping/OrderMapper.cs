using CmlCds.Clinical.Patients;
using CmlCds.Fhir;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Reads test orders (ServiceRequest) for mutation analysis (LOINC 55135-8) and BCR::ABL1 (69380-4). Only active,
/// draft and on-hold orders are pending; completed, revoked and entered-in-error ones are passed over (the result,
/// when it comes, is what counts).
/// </summary>
internal static class OrderMapper
{
    public static PendingOrder? Read(ServiceRequest sr, List<DataQualityNote> notes)
    {
        OrderKind? kind = sr.Code?.Has(Codes.Loinc, Codes.MutationAnalysis) == true ? OrderKind.MutationAnalysis
            : sr.Code?.Has(Codes.Loinc, Codes.BcrAbl1International) == true ? OrderKind.BcrAbl1
            : null;
        if (kind is null || sr.Status is not ("active" or "draft" or "on-hold")) return null;
        if (!FhirDate.TryParse(sr.AuthoredOn ?? sr.OccurrenceDateTime, out var date, out _))
        {
            notes.Add(new DataQualityNote(DataQualityCodes.OrderNoDate, sr.LocalReference, null,
                "Pending test order without authoredOn: it cannot be placed before or after a result, so it does not stop a reminder."));
            return null;
        }
        return new PendingOrder(sr.LocalReference, kind.Value, date);
    }
}
