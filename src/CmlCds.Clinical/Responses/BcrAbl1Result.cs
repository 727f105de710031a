namespace CmlCds.Clinical.Responses;

public enum ResultComparator { None, LessThan, LessOrEqual }

public enum Transcript { Unknown, E13a2, E14a2, E1a2, Other }

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
