using System.Text.RegularExpressions;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Fhir;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>Reads BCR::ABL1 result Observations (clinical specification §1, "Values").</summary>
internal static partial class ObservationMapper
{
    /// <summary>A BCR::ABL1 ratio, on the International Scale or not (the two ValueSets).</summary>
    public static bool IsBcrAbl1(Observation o) => o.Code.AnyIn(Codes.BcrAbl1Is) || o.Code.AnyIn(Codes.BcrAbl1NonIs);

    /// <summary>Coded as a %IS result: the observations the BCR::ABL1 %IS result profile is for.</summary>
    public static bool IsInternationalScale(Observation o) => o.Code.AnyIn(Codes.BcrAbl1Is);

    private static bool Has(Observation o, string code) => o.Code?.Has(Codes.Loinc, code) == true;

    /// <summary>
    /// The result, or null with a note saying why it was set aside. Reports the transcripts it states as detected:
    /// a transcript-type component, or an e1a2 result (LOINC 52132-8) that reports e1a2 detected.
    /// </summary>
    /// <remarks>
    /// An e1a2 result is a screen for the minor-breakpoint transcript: detected (a number above 0 without comparator,
    /// or a coded detected / positive) marks the atypical transcript and is set aside as not on the International
    /// Scale; not detected, 0, or below a detection limit is a negative screen and changes nothing (no note: it was
    /// read, and it says nothing about the IS response). A screen whose value cannot be read is set aside and is not
    /// read as atypical.
    /// </remarks>
    public static BcrAbl1Result? ReadBcrAbl1(Observation o, DateOnly today, List<DataQualityNote> notes, out IReadOnlyList<Transcript> transcripts)
    {
        var source = o.LocalReference;
        transcripts = TranscriptsOf(o);
        // The date as written, for showing a set-aside result where it stands in time.
        DateOnly? shown = FhirDate.TryParse(PatientHistoryMapper.ObservationDateText(o), out var d, out _) ? d : null;
        if (Has(o, Codes.BcrAbl1E1a2) && !IsInternationalScale(o))
        {
            if (o.Status is "entered-in-error" or "cancelled") return null;
            switch (E1a2Screen(o))
            {
                case true:
                    transcripts = [Transcript.E1a2];
                    return SetAside(notes, DataQualityCodes.AtypicalTranscript, o, "e1a2 BCR::ABL1 detected (LOINC 52132-8): atypical transcript, not on the International Scale for CML milestones.", shown);
                case false:
                    return null;
                default:
                    return SetAside(notes, DataQualityCodes.NoValue, o, "e1a2 BCR::ABL1 result (LOINC 52132-8) without a value that says detected or not detected: not read as an atypical transcript.", shown);
            }
        }
        if (!IsInternationalScale(o))
            return SetAside(notes, DataQualityCodes.NotInternationalScale, o, $"BCR::ABL1 ratio not on the International Scale (LOINC {PatientHistoryMapper.CodeText(o.Code)}).", shown);

        if (o.AllIssues().FirstOrDefault(i => i.Severity == FhirIssueSeverity.Error) is { } issue)
            return SetAside(notes, DataQualityCodes.InvalidFhir, o, $"Invalid FHIR at {issue.Element}: {issue.Message}.", shown);

        switch (o.Status)
        {
            case "final" or "amended" or "corrected":
                break;
            case "entered-in-error":
                return SetAside(notes, DataQualityCodes.EnteredInError, o, "Marked entered-in-error.", shown);
            default:
                return SetAside(notes, DataQualityCodes.StatusNotFinal, o, $"Status '{o.Status ?? "missing"}' is not final, amended or corrected.", shown);
        }

        if (PatientHistoryMapper.ClinicalDate(PatientHistoryMapper.ObservationDateText(o), source, today, notes) is not { } date)
            return null;

        var (abl1, gusb) = Copies(o);
        switch (o.Value)
        {
            case Quantity q:
                if (q.Value is not { } value || value < 0)
                    return SetAside(notes, DataQualityCodes.NoValue, o, "Quantity without a usable number.", date);
                if (!IsPercent(q))
                    return SetAside(notes, DataQualityCodes.UnknownUnit, o, $"Unit '{q.Unit ?? q.Code ?? "none"}' is not % on the International Scale.", date);
                var comparator = q.Comparator is not null && !Codes.ScorableComparators.ContainsCode(q.Comparator) ? null : q.Comparator switch
                {
                    null => ResultComparator.None,
                    "<" => ResultComparator.LessThan,
                    "<=" => ResultComparator.LessOrEqual,
                    _ => (ResultComparator?)null,
                };
                if (comparator is null)
                    return SetAside(notes, DataQualityCodes.UnsupportedComparator, o, $"Comparator '{q.Comparator}' cannot be scored.", date);
                return new BcrAbl1Result(source, date, value, comparator.Value, false, abl1, gusb, Typical(transcripts));
            case CodeableConcept cc when cc.AnyIn(Codes.NotDetectedValues):
                return new BcrAbl1Result(source, date, null, ResultComparator.None, true, abl1, gusb, Typical(transcripts));
            case null when o.DataAbsentReason is not null:
                return SetAside(notes, DataQualityCodes.NoValue, o, $"No value: {o.DataAbsentReason.Text ?? PatientHistoryMapper.CodeText(o.DataAbsentReason)}.", date);
            default:
                return SetAside(notes, DataQualityCodes.NoValue, o,
                    o.Value is null ? "No value." : $"Value given as {o.Value.FhirTypeName}, not as a %IS quantity or coded 'not detected'.", date);
        }
    }

    private static BcrAbl1Result? SetAside(List<DataQualityNote> notes, string code, Observation o, string message, DateOnly? date = null)
    {
        notes.Add(new DataQualityNote(code, o.LocalReference, date, message));
        return null;
    }

    /// <summary>UCUM <c>%</c>, or unit text <c>%</c>, <c>% IS</c>, <c>%IS</c>.</summary>
    private static bool IsPercent(Quantity q)
    {
        if (q.System == Codes.Ucum && q.Code is not null) return q.Code == "%";
        if (q.System is not null && q.System != Codes.Ucum) return false;
        return IsPercentText(q.Code) || (q.Code is null && IsPercentText(q.Unit));
    }

    private static bool IsPercentText(string? unit) => unit is "%" or "% IS" or "%IS";

    private static (int? Abl1, int? Gusb) Copies(Observation o)
    {
        int? abl1 = null, gusb = null;
        foreach (var c in o.Component ?? [])
        {
            if (c.Code?.Has(Codes.ComponentSystem, Codes.ComponentAbl1Copies) == true) abl1 = CopiesValue(c);
            else if (c.Code?.Has(Codes.ComponentSystem, Codes.ComponentGusbCopies) == true) gusb = CopiesValue(c);
        }
        return (abl1, gusb);
    }

    private static int? CopiesValue(ObservationComponent c) => c.Value switch
    {
        Quantity { Value: { } v } when v >= 0 && v <= int.MaxValue => (int)v,
        FhirPrimitive<int> i when i.Value >= 0 => i.Value,
        _ => null,
    };

    /// <summary>e1a2 detected (true), not detected (false), or unreadable (null).</summary>
    private static bool? E1a2Screen(Observation o) => o.Value switch
    {
        Quantity { Value: { } v, Comparator: null } => v > 0,
        Quantity { Value: not null, Comparator: "<" or "<=" } => false,
        CodeableConcept cc when cc.AnyIn(Codes.VariantPresent) => true,
        CodeableConcept cc when cc.AnyIn(Codes.NotDetectedValues) || cc.AnyIn(Codes.VariantAbsent) => false,
        _ => null,
    };

    private static Transcript Typical(IReadOnlyList<Transcript> transcripts) =>
        PatientHistoryMapper.CombineTranscripts(transcripts).Typical;

    private static IReadOnlyList<Transcript> TranscriptsOf(Observation o)
    {
        foreach (var c in o.Component ?? [])
        {
            if (c.Code?.Has(Codes.ComponentSystem, Codes.ComponentTranscriptType) != true) continue;
            var text = c.Value switch
            {
                CodeableConcept cc => cc.Coding?.FirstOrDefault(x => x.Code is not null)?.Code ?? cc.Text,
                FhirPrimitive<string> s => s.Value,
                _ => null,
            };
            return ParseTranscripts(text);
        }
        return [];
    }

    /// <summary>
    /// Every transcript a value names: "e13a2", "b3a2", "e13a2-e14a2" (the CodeSystem's co-expression code),
    /// "e13a2/e14a2", "b2a2+b3a2", "e14a2 and e1a2"... Anything else named is "other" (atypical).
    /// </summary>
    internal static IReadOnlyList<Transcript> ParseTranscripts(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        if (text.Trim().Equals(Codes.TranscriptCoexpressed, StringComparison.OrdinalIgnoreCase)) return [Transcript.E13a2E14a2];
        var found = new List<Transcript>();
        foreach (var part in text.Split(['/', '+', ',', ';', '&'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                     .SelectMany(p => p.Split(" and ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var t = ParseTranscript(part);
            if (t != Transcript.Unknown && !found.Contains(t)) found.Add(t);
        }
        return found;
    }

    /// <summary>
    /// e13a2 (b2a2), e14a2 (b3a2), e1a2, or another named atypical transcript (e19a2, e13a3, e14a3, e1a3, e6a2, e8a2),
    /// found anywhere in the text ("e14a2 (b3a2)", "e13a2 transcript"). Reading taken: text that names none of these is
    /// unknown, never atypical: only a positively reported atypical transcript stops the milestones (§1).
    /// </summary>
    internal static Transcript ParseTranscript(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Transcript.Unknown;
        var t = text.ToLowerInvariant();
        if (E13a2Name().IsMatch(t)) return Transcript.E13a2;
        if (E14a2Name().IsMatch(t)) return Transcript.E14a2;
        if (E1a2Name().IsMatch(t)) return Transcript.E1a2;
        if (AtypicalName().IsMatch(t)) return Transcript.Other;
        return Transcript.Unknown;
    }

    [GeneratedRegex(@"\b(e13a2|b2a2)\b", RegexOptions.CultureInvariant)]
    private static partial Regex E13a2Name();

    [GeneratedRegex(@"\b(e14a2|b3a2)\b", RegexOptions.CultureInvariant)]
    private static partial Regex E14a2Name();

    [GeneratedRegex(@"\be1a2\b", RegexOptions.CultureInvariant)]
    private static partial Regex E1a2Name();

    [GeneratedRegex(@"\b(e19a2|e13a3|e14a3|e1a3|e6a2|e8a2|other)\b", RegexOptions.CultureInvariant)]
    private static partial Regex AtypicalName();
}
