using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Reads TKI dispenses for adherence (clinical specification §11). A dispense of a drug that is not a TKI is passed over.
/// <list type="bullet">
/// <item>Only a dispense <c>completed</c> (handed over) counts; any other status is set aside with a note.</item>
/// <item>The date is <c>whenHandedOver</c> (a whole day, not after today); without it the dispense is set aside.</item>
/// <item>The supply is <c>daysSupply</c> in days (UCUM <c>d</c>, or the unit text day / days), whole days rounded down;
/// else <c>quantity</c> ÷ the daily dose of the dispense's own <c>dosageInstruction</c> (dose × frequency, the same unit
/// as the quantity), rounded down. Neither: the dispense is kept but its supply is unreadable (a note): adherence counts
/// it as "not computable", never as covered.</item>
/// </list>
/// </summary>
internal static class DispenseMapper
{
    public static TkiDispense? Read(MedicationDispense md, IReadOnlyDictionary<string, OtherResource> medications, DateOnly today, List<DataQualityNote> notes)
    {
        if (MedicationMapper.Identify(md.Medication, medications) is not var (drug, _)) return null;
        var source = md.LocalReference;
        var name = TkiNames.Name(drug);
        if (md.Status != "completed")
        {
            // entered in error: not a dispense at all, dropped without a note; the others in words, never the FHIR code
            if (md.Status != "entered-in-error")
                notes.Add(new DataQualityNote(DataQualityCodes.DispenseStatusNotUsed, source, null,
                    $"{name} dispense {StatusInWords(md.Status)}: not handed over, not counted in adherence."));
            return null;
        }
        if (!FhirDate.TryParse(md.WhenHandedOver, out var handed, out var precision) || precision < FhirDatePrecision.Day || handed > today)
        {
            notes.Add(new DataQualityNote(DataQualityCodes.DispenseNoHandoverDate, source, null,
                $"{name} dispense without a usable handover date{(md.WhenHandedOver is null ? "" : $" ('{md.WhenHandedOver}')")}: not counted in adherence."));
            return null;
        }
        var days = Days(md);
        if (days is null)
            notes.Add(new DataQualityNote(DataQualityCodes.DispenseSupplyUnreadable, source, handed,
                $"{name} dispense of {FhirDate.Format(handed)}: no days supply, and its quantity cannot be divided by a daily dose in the same unit; not counted in adherence."));
        return new TkiDispense(source, drug, handed, days, Product(md.Medication, medications));
    }

    /// <summary>The product as coded: its codings, else its name, lower-cased; a supply carries forward only within one.</summary>
    private static string? Product(DataType? medication, IReadOnlyDictionary<string, OtherResource> medications)
    {
        var cc = medication switch
        {
            CodeableConcept c => c,
            Reference { ReferenceValue: { } r } when medications.TryGetValue(r, out var med) => MedicationMapper.MedicationCode(med),
            _ => null,
        };
        var codes = cc?.Coding?.Where(c => c?.Code is not null).Select(c => $"{c.System}|{c.Code}").Order(StringComparer.Ordinal).ToList();
        if (codes is { Count: > 0 }) return string.Join(" ", codes);
        var name = cc?.Text ?? cc?.Coding?.Select(c => c?.Display).FirstOrDefault(d => d is not null) ?? (medication as Reference)?.Display;
        return name?.Trim().ToLowerInvariant();
    }

    private static string StatusInWords(string? status) => status switch
    {
        null => "without a status",
        "preparation" => "still in preparation",
        "in-progress" => "still in progress",
        "cancelled" => "cancelled",
        "on-hold" => "on hold",
        "stopped" => "stopped",
        "declined" => "declined",
        _ => "of unknown status",
    };

    private static int? Days(MedicationDispense md)
    {
        if (md.DaysSupply is { Value: { } d and > 0 } supply && IsDays(supply)) return (int)decimal.Floor(d);
        if (md.Quantity is not { Value: { } q and > 0 } quantity) return null;
        if (md.DosageInstruction is not [{ DoseAndRate: [{ DoseQuantity: { Value: { } dose and > 0 } doseQuantity }] } only]) return null;
        if (!SameUnit(quantity, doseQuantity) || MedicationMapper.DosesPerDay(only.Timing) is not { } perDay) return null;
        var days = (int)decimal.Floor(q / (dose * perDay));
        return days > 0 ? days : null;
    }

    private static bool IsDays(Quantity q) =>
        q.Code is { } code ? code == "d" : q.Unit?.Trim().ToLowerInvariant() is "d" or "day" or "days";

    private static bool SameUnit(Quantity a, Quantity b) =>
        a.Code is not null && b.Code is not null ? a.Code == b.Code && a.System == b.System
            : string.Equals((a.Code ?? a.Unit)?.Trim(), (b.Code ?? b.Unit)?.Trim(), StringComparison.OrdinalIgnoreCase) && (a.Code ?? a.Unit) is not null;
}
