using System.Text.Json;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Reads TKI orders and statements (clinical specification §1, "Therapy lines and stops"). A medication is a TKI by
/// ATC code, RxNorm ingredient, or, failing codes, by ingredient or brand name in text/display (with a data-quality
/// note). Medications that are not TKIs are not ours and are passed over.
/// <list type="bullet">
/// <item><b>Explicit stop</b> = MedicationRequest <c>stopped</c>, or MedicationStatement <c>stopped</c>,
/// <c>completed</c> or <c>not-taken</c>, ending on <c>boundsPeriod.end</c> / <c>validityPeriod.end</c> /
/// <c>effectivePeriod.end</c>, a statement else on its <c>dateAsserted</c>.</item>
/// <item>MedicationRequest <c>completed</c> is a prescription that ran its course, not a stop: the order is over
/// (<see cref="TkiOrder.Lapsed"/>) and the line goes on.</item>
/// <item>Why: <c>statusReason</c> of a stopped order, <c>reasonCode</c> of an order: intolerance (SNOMED CT
/// 59037007, 281647001, or words such as intolerance, adverse, toxicity, side effect) or resistance (resistance,
/// failure, progression, loss of response, refractory, mutation). Words of both: resistance, the reading that
/// does not make a TFR history look clean.</item>
/// </list>
/// </summary>
internal static class MedicationMapper
{
    public static TkiOrder? Read(MedicationRequest mr, IReadOnlyDictionary<string, OtherResource> medications, List<DataQualityNote> notes, DateOnly? today = null)
    {
        if (Identify(mr.Medication, medications) is not var (drug, byName)) return null;
        var source = mr.LocalReference;
        if (mr.Status is not ("active" or "completed" or "stopped" or "on-hold"))
            return SetAside(notes, source, $"{TkiNames.Name(drug)} order with status '{mr.Status ?? "missing"}' is not therapy given.");
        var starts = new List<string?> { mr.AuthoredOn };
        starts.AddRange(mr.DosageInstruction?.Select(d => d?.Timing?.Repeat?.BoundsPeriod?.Start) ?? []);
        var ended = mr.Status is "completed" or "stopped";
        var endText = mr.DosageInstruction?.Select(d => d?.Timing?.Repeat?.BoundsPeriod?.End).FirstOrDefault(e => e is not null)
            ?? mr.DispenseRequest?.ValidityPeriod?.End;
        return Order(source, drug, byName, starts, ended, endText, notes, mr.Status == "stopped", today) is { } order
            ? order with
            {
                StopReason = mr.Status == "stopped" ? Reason([mr.StatusReason]) : ChangeReason.Unknown,
                StartReason = Reason(mr.ReasonCode),
                Dose = Dose(mr.DosageInstruction),
            }
            : null;
    }

    public static TkiOrder? Read(MedicationStatement ms, IReadOnlyDictionary<string, OtherResource> medications, List<DataQualityNote> notes, DateOnly? today = null)
    {
        if (Identify(ms.Medication, medications) is not var (drug, byName)) return null;
        var source = ms.LocalReference;
        if (ms.Status is not ("active" or "completed" or "stopped" or "on-hold" or "not-taken"))
            return SetAside(notes, source, $"{TkiNames.Name(drug)} statement with status '{ms.Status ?? "missing"}' is not therapy taken.");
        var starts = new List<string?> { ms.EffectiveDateTime, ms.EffectivePeriod?.Start };
        var stopped = ms.Status is "completed" or "stopped" or "not-taken";
        return Order(source, drug, byName, starts, stopped, ms.EffectivePeriod?.End ?? ms.DateAsserted, notes, stopped, today) is { } order
            ? order with { StopReason = stopped ? Reason(ms.StatusReason) : ChangeReason.Unknown, Dose = Dose(ms.Dosage) }
            : null;
    }

    /// <summary>
    /// A medication that is not a TKI and may be being taken, for the interaction check (clinical specification §11):
    /// an order <c>active</c>, <c>on-hold</c> or <c>unknown</c>. Reading taken: on hold and unknown count (the drug may be
    /// resumed or taken); draft, stopped, completed, cancelled and entered-in-error do not.
    /// </summary>
    public static OtherMedication? ReadOther(MedicationRequest mr, IReadOnlyDictionary<string, OtherResource> medications) =>
        mr.Status is "active" or "on-hold" or "unknown" ? Other(mr.LocalReference, mr.Medication, medications) : null;

    /// <summary>As <see cref="ReadOther(MedicationRequest, IReadOnlyDictionary{string, OtherResource})"/>: a statement
    /// <c>active</c>, <c>on-hold</c>, <c>intended</c> or <c>unknown</c>.</summary>
    public static OtherMedication? ReadOther(MedicationStatement ms, IReadOnlyDictionary<string, OtherResource> medications) =>
        ms.Status is "active" or "on-hold" or "intended" or "unknown" ? Other(ms.LocalReference, ms.Medication, medications) : null;

    private static OtherMedication Other(string source, DataType? medication, IReadOnlyDictionary<string, OtherResource> medications)
    {
        var (cc, display) = medication switch
        {
            CodeableConcept c => (c, null),
            Reference r => (r.ReferenceValue is { } reference && medications.TryGetValue(reference, out var med) ? MedicationCode(med) : null, r.Display),
            _ => ((CodeableConcept?)null, (string?)null),
        };
        var names = new List<string>();
        if (cc?.Text is { Length: > 0 } text) names.Add(text);
        names.AddRange((cc?.Coding ?? []).Select(c => c?.Display).OfType<string>().Where(d => d.Length > 0));
        if (display is { Length: > 0 }) names.Add(display);
        var atc = (cc?.Coding ?? []).Where(c => c?.System == Codes.Atc && c.Code is not null).Select(c => c!.Code!).ToList();
        return new OtherMedication(source, names.FirstOrDefault() ?? "a medication without a name", atc, names.Select(n => n.ToLowerInvariant()).ToList());
    }

    /// <summary>
    /// The dose of an order (clinical specification §11): exactly one dosage instruction, its <c>doseQuantity</c> in mg (UCUM
    /// <c>mg</c>, or the unit text mg), and its timing's frequency: <c>repeat.frequency</c> per <c>repeat.period</c>
    /// (<c>periodUnit</c> h, d or wk), else a timing code QD / BID / TID / QID / AM / PM / QOD. Anything else (several
    /// instructions, a range, another unit, no frequency) is unreadable: null, and nothing is inferred.
    /// </summary>
    internal static TkiDose? Dose(List<Dosage>? dosage)
    {
        if (dosage is not [{ } only]) return null;
        if (only.DoseAndRate is not [{ DoseQuantity: { Value: { } mg and > 0 } quantity }]) return null;
        if (!IsMg(quantity)) return null;
        return DosesPerDay(only.Timing) is { } perDay ? new TkiDose(mg, perDay) : null;
    }

    private static bool IsMg(Quantity q) =>
        q.Code is { } code ? code == "mg" && (q.System is null || q.System == Codes.Ucum) : string.Equals(q.Unit?.Trim(), "mg", StringComparison.OrdinalIgnoreCase);

    /// <summary>Timing elements that make the frequency a range or a pattern ("1–2 times daily", "5 days a week", "with
    /// meals"): the timing is then unreadable, never read as its plain frequency.</summary>
    private static readonly string[] UnreadTimingElements = ["frequencyMax", "periodMax", "dayOfWeek", "when"];

    /// <summary>Administrations a day from a timing; null when it does not say, or says more than a fixed frequency.</summary>
    internal static decimal? DosesPerDay(Timing? timing)
    {
        if (timing?.Repeat?.AdditionalElements is { } extra && UnreadTimingElements.Any(extra.ContainsKey)) return null;
        if (timing?.Repeat is { } r && (r.Frequency is not null || r.Period is not null))
        {
            if (r.Period is not { } period || period <= 0) return null;
            decimal? days = r.PeriodUnit switch { "h" => period / 24, "d" => period, "wk" => period * 7, _ => null };
            if (days is not { } d) return null;
            var frequency = r.Frequency ?? 1;
            return frequency > 0 ? decimal.Round(frequency / d, 4) : null;
        }
        return timing?.Code?.Coding?.Select(c => c?.Code).FirstOrDefault(c => c is not null) switch
        {
            "QD" or "AM" or "PM" => 1m,
            "BID" => 2m,
            "TID" => 3m,
            "QID" => 4m,
            "QOD" => 0.5m,
            _ => null,
        };
    }

    /// <summary>Intolerance, resistance or unknown, from coded reasons and their words.</summary>
    internal static ChangeReason Reason(IEnumerable<CodeableConcept?>? reasons)
    {
        var found = ChangeReason.Unknown;
        foreach (var cc in reasons ?? [])
        {
            if (cc is null) continue;
            if (cc.AnyIn(Codes.IntoleranceReasons) && found == ChangeReason.Unknown) found = ChangeReason.Intolerance;
            foreach (var text in (cc.Coding ?? []).Select(c => c?.Display).Append(cc.Text))
            {
                if (string.IsNullOrWhiteSpace(text)) continue;
                if (ResistanceWords.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase))) return ChangeReason.Resistance;
                if (IntoleranceWords.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase))) found = ChangeReason.Intolerance;
            }
        }
        return found;
    }

    private static readonly string[] ResistanceWords = ["resist", "failure", "failed", "progress", "loss of response", "refractory", "mutation", "suboptimal response"];
    private static readonly string[] IntoleranceWords = ["intoleran", "adverse", "toxicit", "side effect", "side-effect"];

    private static TkiOrder? Order(string source, Tki drug, bool byName, List<string?> startTexts, bool ended, string? endText, List<DataQualityNote> notes, bool stopped, DateOnly? today)
    {
        DateOnly? start = null;
        var imprecise = false;
        foreach (var text in startTexts)
        {
            if (!FhirDate.TryParse(text, out var d, out var precision)) continue;
            if (start is null || d < start) { start = d; imprecise = precision < FhirDatePrecision.Day; }
        }
        if (start is null)
        {
            notes.Add(new DataQualityNote(DataQualityCodes.MedicationNoStart, source, null, $"{TkiNames.Name(drug)}: no start date (authoredOn, boundsPeriod.start, effectivePeriod.start)."));
            return null;
        }
        if (byName)
            notes.Add(new DataQualityNote(DataQualityCodes.MedicationMatchedByName, source, start,
                $"Recognised as {TkiNames.Name(drug)} by name, not by an ATC or RxNorm ingredient code.", SetAside: false));
        if (imprecise)
            notes.Add(new DataQualityNote(DataQualityCodes.MedicationImpreciseStart, source, start,
                $"{TkiNames.Name(drug)} start date has no day; the first day of the period is used.", SetAside: false));
        DateOnly? end = ended && FhirDate.TryParse(endText, out var e, out _) ? e : null;
        // Reading taken: an order over now but ending in the future (a validity period, say) does not date the stop.
        if (end > today) end = null;
        return new TkiOrder(source, drug, start.Value, end, ended, stopped);
    }

    private static TkiOrder? SetAside(List<DataQualityNote> notes, string source, string message)
    {
        notes.Add(new DataQualityNote(DataQualityCodes.MedicationStatusNotUsed, source, null, message));
        return null;
    }

    /// <summary>The TKI, and whether it was recognised by name only; null when the medication is not a TKI.</summary>
    internal static (Tki Drug, bool ByName)? Identify(DataType? medication, IReadOnlyDictionary<string, OtherResource> medications)
    {
        switch (medication)
        {
            case CodeableConcept cc:
                return Identify(cc);
            case Reference r:
                if (r.ReferenceValue is { } reference && medications.TryGetValue(reference, out var med) && MedicationCode(med) is { } code)
                    return Identify(code);
                return ByName(r.Display);
            default:
                return null;
        }
    }

    private static (Tki, bool)? Identify(CodeableConcept cc)
    {
        foreach (var c in cc.Coding ?? [])
        {
            if (c.System == Codes.Atc && c.Code is not null && Codes.TkiByAtc.TryGetValue(c.Code, out var a)) return (a, false);
            if (c.System == Codes.RxNorm && c.Code is not null && Codes.TkiByRxNorm.TryGetValue(c.Code, out var rx)) return (rx, false);
        }
        return ByName(cc.Text) ?? cc.Coding?.Select(c => ByName(c.Display)).FirstOrDefault(x => x is not null);
    }

    private static (Tki, bool)? ByName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        foreach (var (name, drug) in Codes.TkiNames)
            if (text.Contains(name, StringComparison.OrdinalIgnoreCase)) return (drug, true);
        return null;
    }

    /// <summary>The <c>code</c> of a Medication resource, which the model keeps unparsed.</summary>
    internal static CodeableConcept? MedicationCode(OtherResource medication) =>
        medication.AdditionalElements?.TryGetValue("code", out var code) == true
            ? code.Deserialize<CodeableConcept>(Fhir.Json.FhirJson.Options)
            : null;
}
