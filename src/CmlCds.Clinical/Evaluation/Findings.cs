using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Evaluation;

/// <summary>What the rules concluded; each finding becomes at most one card.</summary>
public abstract record Finding
{
    /// <summary>Stable ids of the rules that fired (e.g. <c>eln2020.milestone.12m</c>); they appear in cards and logs.</summary>
    public required IReadOnlyList<string> RuleIds { get; init; }
}

/// <summary>
/// The molecular response against the milestone in force on the current line.
/// </summary>
/// <param name="Milestone">The row in force; null before 70 days (only loss of MMR or a mutation can fire then).</param>
/// <param name="Colour">The NCCN colour, when NCCN is in force.</param>
/// <param name="RowText">The guideline row that applied, as the guideline prints it.</param>
/// <param name="Reasons">Why the category was raised beyond the row (confirmation, loss of MMR, mutation), one sentence each.</param>
public sealed record ResponseFinding(
    Guideline Guideline,
    Milestone? Milestone,
    ResponseCategory Category,
    NccnColour? Colour,
    TherapyLine Line,
    ScoredResult Latest,
    IReadOnlyList<ScoredResult> LineResults,
    string RowText,
    IReadOnlyList<string> Reasons) : Finding
{
    public decimal MonthsOnTki => Line.MonthsOn(Latest.Date);
}

/// <summary>Data that was set aside or used with a caveat, to be shown, never dropped in silence.</summary>
/// <param name="LatestResultSetAside">A BCR::ABL1 result dated after the latest valid one was set aside: the most
/// recent test is not in the assessment, which the clinician must know.</param>
public sealed record DataQualityFinding(IReadOnlyList<DataQualityNote> Notes, DataQualityNote? LatestResultSetAside) : Finding;

/// <summary>The findings for one patient, in evaluation order.</summary>
public sealed record EvaluationResult(IReadOnlyList<Finding> Findings)
{
    public static readonly EvaluationResult Empty = new([]);
    public T? Get<T>() where T : Finding => Findings.OfType<T>().FirstOrDefault();
}

/// <summary>Settings the rules read; bound from configuration <c>Clinical</c> at the edge.</summary>
public sealed record EvaluationSettings
{
    /// <summary>The guideline in force for every milestone rule. Default ELN 2020.</summary>
    public Guideline Guideline { get; init; } = Guideline.Eln2020;

    /// <summary>NCCN choices; read only when <see cref="Guideline"/> is NCCN.</summary>
    public NccnSettings Nccn { get; init; } = new();
}
