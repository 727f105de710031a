namespace CmlCds.Clinical.Responses;

/// <summary>Depth of molecular response on the International Scale, shallowest first (clinical specification §2).</summary>
public enum ResponseLevel
{
    /// <summary>BCR::ABL1 &gt; 10% IS: no molecular response level reached.</summary>
    None = 0,
    /// <summary>≤ 10% IS (early molecular response at 3 months).</summary>
    MR1,
    /// <summary>≤ 1% IS (about complete cytogenetic response).</summary>
    MR2,
    /// <summary>≤ 0.1% IS: major molecular response, MR3.</summary>
    MMR,
    /// <summary>≤ 0.01% IS.</summary>
    MR4,
    /// <summary>≤ 0.0032% IS.</summary>
    MR4_5,
    /// <summary>≤ 0.001% IS.</summary>
    MR5,
}

/// <summary>One row of the response-level table: the %IS ceiling and, from MMR down, the control-gene copies an undetectable result needs.</summary>
public sealed record ResponseLevelRow(ResponseLevel Level, string Label, decimal MaxPercent, int? MinAbl1Copies, int? MinGusbCopies);

/// <summary>
/// Clinical specification §2 (ELN 2020, PDQ, Cross 2015), printed as the guideline prints it. Thresholds are
/// inclusive (0.1% is MMR). Log reduction = log10(100 / %IS). The copies MMR needs (1,000 ABL1 / 2,400 GUSB) are
/// derived by Cross 2015's log arithmetic, one log above MR4: an undetectable result with fewer supports no
/// response level at all and is not evaluable.
/// </summary>
public static class ResponseLevels
{
    public static readonly IReadOnlyList<ResponseLevelRow> Table =
    [
        new(ResponseLevel.MR1, "MR1", 10m, null, null),
        new(ResponseLevel.MR2, "MR2", 1m, null, null),
        new(ResponseLevel.MMR, "MMR", 0.1m, 1_000, 2_400),
        new(ResponseLevel.MR4, "MR4", 0.01m, 10_000, 24_000),
        new(ResponseLevel.MR4_5, "MR4.5", 0.0032m, 32_000, 77_000),
        new(ResponseLevel.MR5, "MR5", 0.001m, 100_000, 240_000),
    ];

    public static ResponseLevelRow Row(ResponseLevel level) =>
        level == ResponseLevel.None ? NoneRow : Table[(int)level - 1];

    private static readonly ResponseLevelRow NoneRow = new(ResponseLevel.None, "> 10%", decimal.MaxValue, null, null);

    public static string Label(ResponseLevel level) => level == ResponseLevel.None ? "none" : Row(level).Label;

    /// <summary>The deepest level whose ceiling the value is at or below.</summary>
    public static ResponseLevel ForPercent(decimal percent)
    {
        var level = ResponseLevel.None;
        foreach (var row in Table)
            if (percent <= row.MaxPercent) level = row.Level;
        return level;
    }

    /// <summary>
    /// The deepest level the control-gene copies make an undetectable result count as (ABL1 or GUSB, whichever
    /// supports more); <see cref="ResponseLevel.None"/> when they are fewer than MMR needs: such a sample is not
    /// evaluable (Cross 2015's log arithmetic; it must never be read as a response).
    /// </summary>
    public static ResponseLevel SupportedByCopies(int? abl1, int? gusb)
    {
        var level = ResponseLevel.None;
        foreach (var row in Table)
        {
            if (row.MinAbl1Copies is null) continue;
            if ((abl1 ?? 0) >= row.MinAbl1Copies || (gusb ?? 0) >= row.MinGusbCopies) level = row.Level;
        }
        return level;
    }

    /// <summary>Copies below which a quantified result is used with a caveat (MR4's: 10,000 ABL1 / 24,000 GUSB).</summary>
    public static bool FewerCopiesThanMr4(int? abl1, int? gusb)
    {
        var mr4 = Row(ResponseLevel.MR4);
        return (abl1 is not null || gusb is not null) && (abl1 ?? 0) < mr4.MinAbl1Copies && (gusb ?? 0) < mr4.MinGusbCopies;
    }

    public static double LogReduction(decimal percent) => percent <= 0 ? double.PositiveInfinity : Math.Log10(100.0 / (double)percent);
}
