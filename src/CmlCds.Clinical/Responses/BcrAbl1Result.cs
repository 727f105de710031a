namespace CmlCds.Clinical.Responses;

public enum ResultComparator { None, LessThan, LessOrEqual }

/// <summary>
/// BCR::ABL1 transcript type (Cross 2023): e13a2 (b2a2), e14a2 (b3a2) and their co-expression are typical, quantified
/// by the IS assay; e1a2 and any other named transcript are atypical.
/// </summary>
public enum Transcript { Unknown, E13a2, E14a2, E1a2, Other, E13a2E14a2 }

public static class Transcripts
{
    public static bool IsTypical(this Transcript t) => t is Transcript.E13a2 or Transcript.E14a2 or Transcript.E13a2E14a2;

    public static bool IsAtypical(this Transcript t) => t is Transcript.E1a2 or Transcript.Other;

    /// <summary>"e13a2", "e14a2", "e13a2/e14a2", "e1a2", "atypical".</summary>
    public static string Name(this Transcript t) => t switch
    {
        Transcript.E13a2 => "e13a2",
        Transcript.E14a2 => "e14a2",
        Transcript.E13a2E14a2 => "e13a2/e14a2",
        Transcript.E1a2 => "e1a2",
        Transcript.Other => "atypical",
        _ => "unknown",
    };
}

/// <summary>A valid BCR::ABL1 result on the International Scale, as read from the chart.</summary>
/// <param name="SourceId">Where it came from (e.g. <c>Observation/123</c>), shown as evidence.</param>
/// <param name="Percent">%IS as the lab reported it (scale kept); null for a coded "not detected".</param>
/// <param name="Comparator">&lt; or ≤: undetectable below <see cref="Percent"/>.</param>
/// <param name="NotDetected">Reported as "not detected" with no number.</param>
public sealed record BcrAbl1Result(
    string SourceId,
    DateOnly Date,
    decimal? Percent,
    ResultComparator Comparator = ResultComparator.None,
    bool NotDetected = false,
    int? Abl1Copies = null,
    int? GusbCopies = null,
    Transcript Transcript = Transcript.Unknown)
{
    public bool IsUndetectable => NotDetected || Comparator != ResultComparator.None;

    /// <summary>The value as the lab wrote it: "0.085", "&lt;0.0032", "not detected".</summary>
    public string Display => Percent is { } p
        ? (Comparator switch { ResultComparator.LessThan => "<", ResultComparator.LessOrEqual => "≤", _ => "" }) + p.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : "not detected";
}
