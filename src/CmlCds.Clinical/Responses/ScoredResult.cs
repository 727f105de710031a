using System.Globalization;
using CmlCds.Clinical.Patients;

namespace CmlCds.Clinical.Responses;

/// <summary>
/// A result scored per the clinical specification §1–2 (Cross 2015).
/// <list type="bullet">
/// <item>A number without comparator: the level of the number. With control-gene copies reported below MR4's
/// minimum (10,000 ABL1 / 24,000 GUSB) it is used with a caveat.</item>
/// <item>An undetectable result (&lt; or ≤ a value, or coded "not detected") with copies reported: the deepest level
/// the copies support, never deeper than a comparator's value. With fewer copies than MMR needs (1,000 ABL1 /
/// 2,400 GUSB) the sample is <b>not evaluable</b>: no level, set aside, "repeat the test".</item>
/// <item>An undetectable result with no copies reported: MMR for the milestones, never MR4 or deeper (a comparator
/// shallower than MMR keeps its own level), with a note that the sensitivity is not reported.</item>
/// </list>
/// <see cref="EffectivePercent"/> is the %IS the milestone bands compare: the number itself, or the ceiling of
/// the level an undetectable result was scored at when that is higher.
/// </summary>
/// <param name="SensitivityCode">The data-quality code of <see cref="SensitivityNote"/>: too few copies for the level
/// claimed, sensitivity not reported, few copies behind a quantified value, or not evaluable.</param>
public sealed record ScoredResult(BcrAbl1Result Result, ResponseLevel Level, decimal EffectivePercent, string? SensitivityNote, string? SensitivityCode = null)
{
    public DateOnly Date => Result.Date;

    public double LogReduction => ResponseLevels.LogReduction(EffectivePercent);

    /// <summary>Too few control-gene copies for any response level: must not be read as a response.</summary>
    public bool NotEvaluable => SensitivityCode == DataQualityCodes.SampleNotEvaluable;

    /// <summary>Undetectable, and no control-gene copies were reported to say how deep.</summary>
    public bool SensitivityNotReported => SensitivityCode == DataQualityCodes.SensitivityNotReported;

    /// <summary>
    /// The value as a clinician reads it: "0.085%", "undetectable (&lt; 0.0032%)", "undetectable (≤ 0.0032%)" (coded
    /// not detected, at the depth its copies support), "undetectable (sensitivity not reported)".
    /// </summary>
    public string Shown => Text("%");

    /// <summary><see cref="Shown"/> with the scale: "0.085% IS", "undetectable (&lt; 0.0032% IS)".</summary>
    public string ShownIs => Text("% IS");

    /// <summary>"0.04% IS (MMR)", "undetectable (&lt; 0.0032% IS, MR4.5)"; no level for results above 10%.</summary>
    public string ShownIsWithLevel => Level == ResponseLevel.None ? ShownIs
        : Result.IsUndetectable && ShownIs.EndsWith(')') ? $"{ShownIs[..^1]}, {ResponseLevels.Label(Level)})"
        : $"{ShownIs} ({ResponseLevels.Label(Level)})";

    /// <summary>For a table whose column is headed %IS: "0.085", "undetectable (&lt; 0.0032)".</summary>
    public string Cell => Text("");

    private string Text(string unit)
    {
        var r = Result;
        if (!r.IsUndetectable) return r.Display + unit;
        if (r.Percent is { } p)
            return $"undetectable ({(r.Comparator == ResultComparator.LessOrEqual ? "≤" : "<")} {Number(p)}{unit})";
        if (NotEvaluable || SensitivityNotReported) return NotEvaluable ? "undetectable (too few control-gene copies)" : "undetectable (sensitivity not reported)";
        return $"undetectable (≤ {Number(EffectivePercent)}{unit})";
    }

    private static string Number(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    public static ScoredResult Score(BcrAbl1Result r)
    {
        var hasCopies = r.Abl1Copies is not null || r.GusbCopies is not null;
        if (!r.IsUndetectable)
        {
            var p = r.Percent ?? throw new ArgumentException("A detectable result needs a number.", nameof(r));
            return ResponseLevels.FewerCopiesThanMr4(r.Abl1Copies, r.GusbCopies)
                ? new ScoredResult(r, ResponseLevels.ForPercent(p), p,
                    $"{Copies(r)}: fewer than the {ResponseLevels.Row(ResponseLevel.MR4).MinAbl1Copies:N0} ABL1 / {ResponseLevels.Row(ResponseLevel.MR4).MinGusbCopies:N0} GUSB of a sensitive sample; value used with caution",
                    DataQualityCodes.LowControlGeneCopies)
                : new ScoredResult(r, ResponseLevels.ForPercent(p), p, null);
        }

        // What the result itself claims: the comparator's value, or (coded "not detected") nothing.
        var claimed = r.Percent is { } value ? ResponseLevels.ForPercent(value) : ResponseLevel.MR5;
        var mmr = ResponseLevels.Row(ResponseLevel.MMR);
        if (!hasCopies)
        {
            if (claimed <= ResponseLevel.MMR)
                return new ScoredResult(r, claimed, r.Percent!.Value, null);
            return new ScoredResult(r, ResponseLevel.MMR, mmr.MaxPercent,
                "undetectable without control-gene copies: sensitivity not reported; counted as MMR, never as MR4 or deeper",
                DataQualityCodes.SensitivityNotReported);
        }

        var byCopies = ResponseLevels.SupportedByCopies(r.Abl1Copies, r.GusbCopies);
        if (byCopies == ResponseLevel.None)
            return new ScoredResult(r, ResponseLevel.None, r.Percent ?? mmr.MaxPercent,
                $"{Copies(r)}: fewer than the {mmr.MinAbl1Copies:N0} ABL1 / {mmr.MinGusbCopies:N0} GUSB that even MMR needs; not evaluable, repeat the test",
                DataQualityCodes.SampleNotEvaluable);
        if (byCopies >= claimed)
            return new ScoredResult(r, claimed, r.Percent ?? ResponseLevels.Row(claimed).MaxPercent, null);
        // Coded "not detected" scored at MMR is no claim the copies fall short of; a deeper claim is.
        if (r.Percent is null && byCopies >= ResponseLevel.MR4)
            return new ScoredResult(r, byCopies, ResponseLevels.Row(byCopies).MaxPercent, null);
        var target = r.Percent is null ? ResponseLevel.MR4 : claimed;
        return new ScoredResult(r, byCopies, ResponseLevels.Row(byCopies).MaxPercent, CopiesNote(r, target, byCopies), DataQualityCodes.InsufficientSensitivity);
    }

    private static string Copies(BcrAbl1Result r) =>
        r.Abl1Copies is { } a ? $"{a:N0} ABL1 copies" : $"{r.GusbCopies:N0} GUSB copies";

    private static string CopiesNote(BcrAbl1Result r, ResponseLevel claimed, ResponseLevel scored)
    {
        var row = ResponseLevels.Row(claimed);
        return $"{Copies(r)} are below the {row.MinAbl1Copies:N0} ABL1 / {row.MinGusbCopies:N0} GUSB needed for {row.Label}: scored as {ResponseLevels.Label(scored)}";
    }
}
