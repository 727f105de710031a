using System.Globalization;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Maps one patient's FHIR resources to the clinical <see cref="PatientHistory"/> (clinical specification §1). Resources are
/// recognised by type and code, not by the prefetch key they came in, and duplicates (same type and id) are read
/// once, so the result is the same however the data arrived. Whatever cannot be used is kept as a
/// <see cref="DataQualityNote"/> with a stable code.
/// <para>A resource read under one of the project's profiles (<see cref="CmlProfiles"/>) and used without a note of
/// its own is also checked against that profile: each violation is a <c>profile.*</c> note naming the profile element,
/// and the resource is still used (the reading rules of the clinical specification decide what is usable, the profile says what a
/// conformant sender writes). A resource the mapping set aside or noted already keeps that one, more specific,
/// reason; <c>cmlcds validate</c> lists every violation.</para>
/// </summary>
public static class PatientHistoryMapper
{
    /// <param name="unreadKeys">Prefetch keys that could not be read, or not in full (<see cref="Prefetch.ResolvedData.UnreadKeys"/>).</param>
    public static PatientHistory Map(IEnumerable<Resource> resources, DateOnly today, IEnumerable<DataQualityNote>? upstreamNotes = null,
        IEnumerable<string>? unreadKeys = null)
    {
        var unread = (unreadKeys ?? []).Select(k => k switch
        {
            "medicationDispenses" => MedicationData.Dispenses,
            "medicationStatements" => MedicationData.Statements,
            "medicationRequests" => MedicationData.Orders,
            _ => (MedicationData?)null,
        }).OfType<MedicationData>().ToHashSet();
        var notes = new List<DataQualityNote>(upstreamNotes ?? []);
        var results = new List<BcrAbl1Result>();
        var diagnoses = new List<CmlDiagnosis>();
        var orders = new List<TkiOrder>();
        var dispenses = new List<TkiDispense>();
        var others = new List<OtherMedication>();
        var mutations = new List<MutationResult>();
        var pendingOrders = new List<PendingOrder>();
        var transcripts = new List<Transcript>();
        var pregnancy = new List<(PregnancyRecord Record, bool Pregnant, bool Condition)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Read in a fixed order (type, then id) so that nothing, not even the order of notes, depends on how the data arrived.
        var all = resources.Where(r => r.Id is null || seen.Add(r.LocalReference))
            .OrderBy(r => r.ResourceType, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var medications = Medications(all);
        DateOnly? birthDate = null;
        var bcrAbl1Seen = 0;
        var otherTests = new List<DateOnly>();

        foreach (var resource in all)
        {
            var notesBefore = notes.Count;
            // The profile a resource was read and used under, and its clinical date: checked below.
            (string Profile, DateOnly? Date)? used = null;
            switch (resource)
            {
                case Patient p when FhirDate.TryParse(p.BirthDate, out var bd, out _):
                    birthDate = bd;
                    break;
                case Observation o when ObservationMapper.IsBcrAbl1(o):
                    bcrAbl1Seen++;
                    var firstNote = notes.Count;
                    if (ObservationMapper.ReadBcrAbl1(o, today, notes, out var stated) is { } result) { results.Add(result); used = (CmlProfiles.BcrAbl1IsResult, result.Date); }
                    else if (o.Status is not ("entered-in-error" or "cancelled") && FhirDate.TryParse(ObservationDateText(o), out var tested, out _) && tested <= today) otherTests.Add(tested);
                    for (var i = firstNote; i < notes.Count; i++) notes[i] = notes[i] with { BcrAbl1Result = true };
                    if (o.Status is not ("entered-in-error" or "cancelled")) transcripts.AddRange(stated);
                    break;
                case Observation o when MutationMapper.IsMutationAnalysis(o):
                    if (MutationMapper.Read(o, today, notes) is { } mutation) { mutations.Add(mutation); used = (CmlProfiles.KdMutationResult, mutation.Date); }
                    break;
                case Observation o when PregnancyMapper.IsPregnancyStatus(o):
                    if (PregnancyMapper.Read(o, today) is { } status) pregnancy.Add((status.Record, status.Pregnant, false));
                    break;
                case Observation o:
                    notes.Add(new DataQualityNote(DataQualityCodes.UnrecognisedCode, o.LocalReference, null,
                        $"Observation with code {CodeText(o.Code)} is not a BCR::ABL1 or mutation result; not used."));
                    break;
                case Condition c when ConditionMapper.IsCml(c):
                    if (ConditionMapper.Read(c, notes) is { } dx) { diagnoses.Add(dx); used = (CmlProfiles.CmlCondition, dx.Date); }
                    break;
                case Condition c when PregnancyMapper.IsPregnancy(c):
                    if (PregnancyMapper.Read(c) is { } pregnant) pregnancy.Add((pregnant, true, true));
                    break;
                case MedicationRequest mr:
                    if (MedicationMapper.Read(mr, medications, notes, today) is { } order) { orders.Add(order); used = (CmlProfiles.TkiMedicationRequest, order.Start); }
                    else if (MedicationMapper.Identify(mr.Medication, medications) is null && MedicationMapper.ReadOther(mr, medications) is { } other) others.Add(other);
                    break;
                case MedicationStatement ms:
                    if (MedicationMapper.Read(ms, medications, notes, today) is { } statement) { orders.Add(statement); used = (CmlProfiles.TkiMedicationStatement, statement.Start); }
                    else if (MedicationMapper.Identify(ms.Medication, medications) is null && MedicationMapper.ReadOther(ms, medications) is { } other) others.Add(other);
                    break;
                case MedicationDispense md:
                    var notesBeforeDispense = notes.Count;
                    if (DispenseMapper.Read(md, medications, today, notes) is not { } dispense)
                    {
                        // A TKI dispense on file that cannot be placed in time: the dispense records are not read in
                        // full, so adherence says so instead of "no dispense records" or gaps it may have covered.
                        if (notes.Count > notesBeforeDispense && notes[^1].Code == DataQualityCodes.DispenseNoHandoverDate)
                            unread.Add(MedicationData.Dispenses);
                    }
                    else
                    {
                        dispenses.Add(dispense);
                        // A dispense with an unreadable supply has its note already: the profile check is for the others.
                        if (dispense.DaysSupply is not null) used = (CmlProfiles.TkiMedicationDispense, dispense.HandedOver);
                    }
                    break;
                case ServiceRequest sr:
                    if (OrderMapper.Read(sr, notes) is { } pending) pendingOrders.Add(pending);
                    break;
                case OperationOutcome oo when oo.Issue?.Exists(i => i.Severity is "error" or "fatal") == true:
                    notes.Add(new DataQualityNote(DataQualityCodes.PrefetchOperationOutcome, null, null,
                        "The FHIR server reported an error in a search result: " + OperationOutcomeText(oo)));
                    break;
            }
            if (used is { } read && notes.Count == notesBefore)
                CmlProfiles.AddNotes(resource, read.Profile, read.Date, notes);
        }

        return new PatientHistory
        {
            BirthDate = birthDate,
            Diagnoses = diagnoses,
            Results = results.OrderBy(r => r.Date).ThenBy(r => r.SourceId, StringComparer.Ordinal).ToList(),
            TkiOrders = orders,
            Dispenses = dispenses,
            OtherMedications = others,
            UnreadMedicationData = unread,
            Mutations = mutations.OrderBy(m => m.Date).ThenBy(m => string.Join(",", m.Mutations), StringComparer.Ordinal)
                .ThenBy(m => m.SourceId, StringComparer.Ordinal).ToList(),
            Orders = pendingOrders,
            Notes = notes,
            Transcript = PatientTranscript(transcripts),
            CoexpressedAtypical = CombineTranscripts(transcripts) is { Typical: not Transcript.Unknown, Atypical: { } atypical } ? atypical : null,
            Pregnancy = PregnancyMapper.Current(pregnancy),
            BcrAbl1ResultsSeen = bcrAbl1Seen,
            OtherBcrAbl1Dates = otherTests.Distinct().Order().ToList(),
        };
    }

    /// <summary>The Medication resources among these, by local reference, to resolve <c>medicationReference</c>.</summary>
    public static IReadOnlyDictionary<string, OtherResource> Medications(IEnumerable<Resource> resources) =>
        resources.OfType<OtherResource>().Where(r => r.ResourceType == "Medication" && r.Id is not null)
            .DistinctBy(r => r.LocalReference, StringComparer.Ordinal).ToDictionary(r => r.LocalReference, StringComparer.Ordinal);

    /// <summary>
    /// The patient's transcript (clinical specification §1): the typical one(s) whenever a typical transcript is
    /// reported (e13a2 and e14a2 together are their co-expression); else an atypical one reported detected; else
    /// unknown. An atypical transcript beside a typical one keeps the milestones (with a note, <see cref="CombineTranscripts"/>).
    /// </summary>
    private static Transcript PatientTranscript(List<Transcript> seen)
    {
        var (typical, atypical) = CombineTranscripts(seen);
        return typical != Transcript.Unknown ? typical : atypical ?? Transcript.Unknown;
    }

    /// <summary>The typical transcript(s) among those reported, and the first atypical one (e1a2 before others).</summary>
    internal static (Transcript Typical, Transcript? Atypical) CombineTranscripts(IEnumerable<Transcript> seen)
    {
        var list = seen as IReadOnlyCollection<Transcript> ?? seen.ToList();
        var e13 = list.Any(t => t is Transcript.E13a2 or Transcript.E13a2E14a2);
        var e14 = list.Any(t => t is Transcript.E14a2 or Transcript.E13a2E14a2);
        var typical = e13 && e14 ? Transcript.E13a2E14a2 : e13 ? Transcript.E13a2 : e14 ? Transcript.E14a2 : Transcript.Unknown;
        Transcript? atypical = list.Contains(Transcript.E1a2) ? Transcript.E1a2 : list.Contains(Transcript.Other) ? Transcript.Other : null;
        return (typical, atypical);
    }

    internal static string CodeText(CodeableConcept? code) =>
        code?.Coding?.FirstOrDefault(c => c.Code is not null) is { } c ? $"{c.Code}" : code?.Text ?? "(none)";

    internal static string OperationOutcomeText(OperationOutcome oo) =>
        string.Join("; ", oo.Issue?.Select(i => i.Diagnostics ?? i.Details?.Text ?? i.Code ?? "issue") ?? []);

    /// <summary>The clinical date of an observation: effective[x] (dateTime, instant or period start), else issued.</summary>
    internal static string? ObservationDateText(Observation o) => o.Effective switch
    {
        FhirPrimitive<string> p => p.Value,
        Period period => period.Start,
        _ => null,
    } ?? o.Issued;

    /// <summary>Reads a date that must be a whole day, not in the future. Adds the note and returns null otherwise.</summary>
    internal static DateOnly? ClinicalDate(string? text, string source, DateOnly today, List<DataQualityNote> notes)
    {
        if (!FhirDate.TryParse(text, out var date, out var precision))
        {
            notes.Add(new DataQualityNote(DataQualityCodes.NoDate, source, null, text is null ? "No date." : $"Date '{text}' cannot be read."));
            return null;
        }
        if (precision < FhirDatePrecision.Day)
        {
            notes.Add(new DataQualityNote(DataQualityCodes.ImpreciseDate, source, null, $"Date '{text}' has no day."));
            return null;
        }
        if (date > today)
        {
            notes.Add(new DataQualityNote(DataQualityCodes.FutureDate, source, date, $"Dated {FhirDate.Format(date)}, after today."));
            return null;
        }
        return date;
    }

    internal static string Invariant(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
