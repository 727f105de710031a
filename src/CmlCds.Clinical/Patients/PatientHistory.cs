using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Patients;

public enum Phase { Unknown, Chronic, Accelerated, Blast }

/// <summary>A CML diagnosis on the chart, with the phase its stage summary gives.</summary>
public sealed record CmlDiagnosis(string SourceId, DateOnly? Date, Phase Phase);

/// <summary>
/// A BCR::ABL1 kinase domain mutation analysis result.
/// </summary>
/// <param name="Mutations">Protein changes in one-letter form (<c>T315I</c>); empty when none was detected.</param>
public sealed record MutationResult(string SourceId, DateOnly Date, IReadOnlyList<string> Mutations)
{
    public bool AnyDetected => Mutations.Count > 0;
}

/// <summary>
/// Clinical data that could not be used as it stands, with a stable <see cref="Code"/> (e.g.
/// <c>obs.not-international-scale</c>). <see cref="SetAside"/> is true when the data was left out of the rules;
/// false when it was used in a safer way (e.g. an undetectable result scored at a shallower level).
/// <see cref="BcrAbl1Result"/> says the note is about a BCR::ABL1 result (rather than a mutation result, an order...).
/// </summary>
public sealed record DataQualityNote(string Code, string? SourceId, DateOnly? Date, string Message, bool SetAside = true, bool BcrAbl1Result = false);

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
    /// <summary>Transcript type when the chart says it (result components or an e1a2 result).</summary>
    public Transcript Transcript { get; init; } = Transcript.Unknown;
    /// <summary>BCR::ABL1 results seen, valid or set aside.</summary>
    public int BcrAbl1ResultsSeen { get; init; }

    public bool HasCmlDiagnosis => Diagnoses.Count > 0;

    public bool HasAtypicalTranscript => Transcript is Transcript.E1a2 or Transcript.Other;

    public IReadOnlyList<TherapyLine> Lines => _lines ??= TherapyLines.Build(TkiOrders);
    private IReadOnlyList<TherapyLine>? _lines;

    /// <summary>The latest line, when it has not ended.</summary>
    public TherapyLine? CurrentLine => Lines.Count > 0 && Lines[^1].IsActive ? Lines[^1] : null;

    /// <summary>The phase of the latest dated diagnosis with a known phase.</summary>
    public Phase CurrentPhase => Diagnoses.Where(d => d.Phase != Phase.Unknown)
        .OrderBy(d => d.Date ?? DateOnly.MinValue).Select(d => d.Phase).LastOrDefault();
}
