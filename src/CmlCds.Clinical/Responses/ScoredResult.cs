namespace CmlCds.Clinical.Responses;

/// <summary>
/// A result scored per RULES.md §1–2.
/// <list type="bullet">
/// <item>A number without comparator: the level of the number.</item>
/// <item>&lt; or ≤ a value: the level of the value, unless the control-gene copies (when given) are below that
/// level's minimum; then the deepest level the copies support (at least MMR), with a data-quality note.</item>
/// <item>"Not detected" without a number: the level the copies support; without copies it counts as MMR for the
/// milestones and never as MR4 or deeper.</item>
/// </list>
/// <see cref="EffectivePercent"/> is the %IS the milestone bands compare: the number itself, or the ceiling of
/// the level an undetectable result was scored at when that is higher.
/// </summary>
public sealed record ScoredResult(BcrAbl1Result Result, ResponseLevel Level, decimal EffectivePercent, string? SensitivityNote)
{
    public DateOnly Date => Result.Date;

    public double LogReduction => ResponseLevels.LogReduction(EffectivePercent);

    public static ScoredResult Score(BcrAbl1Result r)
    {
        if (!r.IsUndetectable)
        {
            var p = r.Percent ?? throw new ArgumentException("A detectable result needs a number.", nameof(r));
            return new ScoredResult(r, ResponseLevels.ForPercent(p), p, null);
        }

        var hasCopies = r.Abl1Copies is not null || r.GusbCopies is not null;
        if (r.Percent is { } value)
        {
            var byValue = ResponseLevels.ForPercent(value);
            if (!hasCopies || byValue < ResponseLevel.MR4)
                return new ScoredResult(r, byValue, value, null);
            var byCopies = ResponseLevels.SupportedByCopies(r.Abl1Copies, r.GusbCopies);
            if (byCopies >= byValue)
                return new ScoredResult(r, byValue, value, null);
            return new ScoredResult(r, byCopies, ResponseLevels.Row(byCopies).MaxPercent, CopiesNote(r, byValue, byCopies));
        }

        // Coded "not detected" without a number.
        if (!hasCopies)
            return new ScoredResult(r, ResponseLevel.MMR, ResponseLevels.Row(ResponseLevel.MMR).MaxPercent,
                "not detected without control-gene copies: counted as MMR, never as MR4 or deeper");
        var level = ResponseLevels.SupportedByCopies(r.Abl1Copies, r.GusbCopies);
        var note = level < ResponseLevel.MR4 ? CopiesNote(r, ResponseLevel.MR4, level) : null;
        return new ScoredResult(r, level, ResponseLevels.Row(level).MaxPercent, note);
    }

    private static string CopiesNote(BcrAbl1Result r, ResponseLevel claimed, ResponseLevel scored)
    {
        var row = ResponseLevels.Row(claimed);
        var copies = r.Abl1Copies is { } a ? $"{a:N0} ABL1 copies" : $"{r.GusbCopies:N0} GUSB copies";
        return $"{copies} are below the {row.MinAbl1Copies:N0} ABL1 / {row.MinGusbCopies:N0} GUSB needed for {row.Label}: scored as {ResponseLevels.Label(scored)}";
    }
}
