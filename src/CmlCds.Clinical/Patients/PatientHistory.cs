using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Patients;

public enum Phase { Unknown, Chronic, Accelerated, Blast }

/// <summary>A CML diagnosis on the chart, with the phase its stage summary gives.</summary>
public sealed record CmlDiagnosis(string SourceId, DateOnly? Date, Phase Phase);

/// <summary>One variant a kinase domain mutation report names, with its own call (clinical specification §1).</summary>
/// <param name="ProteinChange">One-letter form, e.g. <c>T315I</c>.</param>
/// <param name="Detected">The report calls it present; false when it says not detected / absent / negative.</param>
/// <param name="Benign">Reported benign or likely benign (LOINC 53037-8): not a resistance mutation.</param>
/// <param name="AlleleFrequencyPercent">Variant allele frequency (LOINC 81258-6), when given.</param>
public sealed record MutationVariant(string ProteinChange, bool Detected, bool Benign = false, decimal? AlleleFrequencyPercent = null)
{
    /// <summary>"F317L (VAF 12%)".</summary>
    public string Shown => AlleleFrequencyPercent is { } vaf
        ? $"{ProteinChange} (VAF {vaf.ToString(System.Globalization.CultureInfo.InvariantCulture)}%)"
        : ProteinChange;
}

/// <summary>
/// A BCR::ABL1 kinase domain mutation analysis result, read variant by variant. It is "no mutation detected" only
/// when no variant is called detected.
/// </summary>
/// <param name="Variants">Every variant the report names with its call; empty for a plain negative report.</param>
/// <param name="ReadFromText">The calls were read from the report's text, clause by clause, not from coded data.</param>
public sealed record MutationResult(string SourceId, DateOnly Date, IReadOnlyList<MutationVariant> Variants, bool ReadFromText = false)
{
    /// <summary>A result whose every named variant is detected (a convenience for reports with no negative calls).</summary>
    public static MutationResult Detected(string sourceId, DateOnly date, params string[] proteinChanges) =>
        new(sourceId, date, proteinChanges.Select(p => new MutationVariant(p, true)).ToList());

    /// <summary>Protein changes called detected and not reported benign: the candidate resistance mutations.</summary>
    public IReadOnlyList<string> Mutations => _mutations ??= Variants.Where(v => v.Detected && !v.Benign).Select(v => v.ProteinChange).Distinct(StringComparer.Ordinal).ToList();
    private IReadOnlyList<string>? _mutations;

    public bool AnyDetected => Mutations.Count > 0;
}

/// <summary>Pregnancy recorded on the chart (Condition SNOMED 77386006 active, or LOINC 82810-3 = pregnant).</summary>
public sealed record PregnancyRecord(string SourceId, DateOnly? Date);

/// <summary>
/// Clinical data that could not be used as it stands, with a stable <see cref="Code"/> (e.g.
/// <c>obs.not-international-scale</c>). <see cref="SetAside"/> is true when the data was left out of the rules;
/// false when it was used in a safer way (e.g. an undetectable result scored at a shallower level).
/// <see cref="BcrAbl1Result"/> says the note is about a BCR::ABL1 result (rather than a mutation result, an order...).
/// <see cref="Warning"/> makes the data-quality card a warning: the clinician must act on it (repeat a test, confirm
/// with the lab, confirm the patient is taking the TKI), not merely know it.
/// </summary>
public sealed record DataQualityNote(string Code, string? SourceId, DateOnly? Date, string Message, bool SetAside = true, bool BcrAbl1Result = false, bool Warning = false);

/// <summary>
/// Everything the rules know about one patient, already mapped from FHIR: no FHIR types here.
/// </summary>
public sealed class PatientHistory
{
    public DateOnly? BirthDate { get; init; }
    public IReadOnlyList<CmlDiagnosis> Diagnoses { get; init; } = [];
    /// <summary>Valid %IS results, oldest first.</summary>
    public IReadOnlyList<BcrAbl1Result> Results { get; init; } = [];
    public IReadOnlyList<TkiOrder> TkiOrders { get; init; } = [];
    public IReadOnlyList<MutationResult> Mutations { get; init; } = [];
    /// <summary>Active or draft orders for tests (mutation analysis, BCR::ABL1).</summary>
    public IReadOnlyList<PendingOrder> Orders { get; init; } = [];
    public IReadOnlyList<DataQualityNote> Notes { get; init; } = [];
    /// <summary>
    /// Transcript type when the chart says it (result components, or an e1a2 result reported detected): the typical
    /// one(s) whenever one is reported, else the atypical one reported, else unknown.
    /// </summary>
    public Transcript Transcript { get; init; } = Transcript.Unknown;
    /// <summary>An atypical transcript reported detected beside a typical one: milestones apply, with a note.</summary>
    public Transcript? CoexpressedAtypical { get; init; }
    /// <summary>Pregnancy recorded, when it is (optional prefetch <c>pregnancy</c>, and the conditions).</summary>
    public PregnancyRecord? Pregnancy { get; init; }
    /// <summary>Dates of BCR::ABL1 results not used as %IS results (not on the IS, e1a2...): they are tests all the same.</summary>
    public IReadOnlyList<DateOnly> OtherBcrAbl1Dates { get; init; } = [];
    /// <summary>TKI dispenses handed over (MedicationDispense <c>completed</c>), for adherence (clinical specification §11).</summary>
    public IReadOnlyList<TkiDispense> Dispenses { get; init; } = [];
    /// <summary>Medications on file that are not TKIs and may be being taken, for interactions (clinical specification §11).</summary>
    public IReadOnlyList<OtherMedication> OtherMedications { get; init; } = [];
    /// <summary>Medication data that could not be read, or not in full (a key unavailable or truncated): never read as
    /// "none on file" (clinical specification §11).</summary>
    public IReadOnlySet<MedicationData> UnreadMedicationData { get; init; } = new HashSet<MedicationData>();
    /// <summary>BCR::ABL1 results seen, valid or set aside.</summary>
    public int BcrAbl1ResultsSeen { get; init; }

    public bool HasCmlDiagnosis => Diagnoses.Count > 0;

    /// <summary>Only an atypical transcript is reported (positively): IS milestones do not apply.</summary>
    public bool HasAtypicalTranscript => Transcript.IsAtypical();

    /// <summary>The valid results scored, one per date (<see cref="ResultSeries"/>).</summary>
    public ResultSeries Series => _series ??= ResultSeries.Build(Results);
    private ResultSeries? _series;

    public IReadOnlyList<TherapyLine> Lines => _lines ??= TherapyLines.Build(TkiOrders, Series.Scored);
    private IReadOnlyList<TherapyLine>? _lines;

    /// <summary>The latest line, when it has not ended.</summary>
    public TherapyLine? CurrentLine => Lines.Count > 0 && Lines[^1].IsActive ? Lines[^1] : null;

    /// <summary>
    /// The phase of the latest dated diagnosis with a known phase; on one date, the most advanced. Reading taken: an
    /// undated accelerated or blast diagnosis counts as current (it cannot be placed before a dated chronic one).
    /// </summary>
    public Phase CurrentPhase => Diagnoses.Where(d => d.Date is null && d.Phase is Phase.Accelerated or Phase.Blast).Select(d => d.Phase).DefaultIfEmpty().Max() is var undated and not Phase.Unknown
        ? undated
        : Diagnoses.Where(d => d.Phase != Phase.Unknown).OrderBy(d => d.Date ?? DateOnly.MinValue).ThenBy(d => d.Phase).Select(d => d.Phase).LastOrDefault();
}

/// <summary>The kinds of medication data the chart is read from (clinical specification §11).</summary>
public enum MedicationData { Orders, Statements, Dispenses }
