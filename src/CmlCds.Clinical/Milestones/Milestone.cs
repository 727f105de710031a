namespace CmlCds.Clinical.Milestones;

/// <summary>The milestone row in force (clinical specification §3).</summary>
public enum Milestone { Month3, Month6, Month12 }

public enum ResponseCategory { Optimal, Warning, Failure }

/// <summary>
/// Which milestone row applies, from the whole days on the current TKI at the date of the latest valid result:
/// before 70 days none; 70–149 days the 3-month row; 150–329 the 6-month row; 330 and later the 12-month row,
/// which is also the "any time" row.
/// </summary>
public static class MilestoneWindows
{
    public const int Month3FromDay = 70;
    public const int Month6FromDay = 150;
    public const int Month12FromDay = 330;

    public static Milestone? For(int daysOnTki) => daysOnTki switch
    {
        < Month3FromDay => null,
        < Month6FromDay => Milestone.Month3,
        < Month12FromDay => Milestone.Month6,
        _ => Milestone.Month12,
    };

    public static string Label(Milestone m) => m switch
    {
        Milestone.Month3 => "3 months",
        Milestone.Month6 => "6 months",
        _ => "12 months and any time after",
    };

    /// <summary>"3-month", "6-month", "12-month".</summary>
    public static string Adjective(Milestone m) => m switch { Milestone.Month3 => "3-month", Milestone.Month6 => "6-month", _ => "12-month" };

    public static string Short(Milestone m) => m switch { Milestone.Month3 => "3m", Milestone.Month6 => "6m", _ => "12m" };
}

/// <summary>A %IS band: above <see cref="AboveExclusive"/> (when given) and at most <see cref="AtMostInclusive"/> (when given).</summary>
public sealed record PercentBand(decimal? AboveExclusive, decimal? AtMostInclusive)
{
    public static PercentBand AtMost(decimal p) => new(null, p);
    public static PercentBand Above(decimal p) => new(p, null);
    public static PercentBand Between(decimal aboveExclusive, decimal atMostInclusive) => new(aboveExclusive, atMostInclusive);

    public bool Contains(decimal percent) =>
        (AboveExclusive is null || percent > AboveExclusive) && (AtMostInclusive is null || percent <= AtMostInclusive);

    /// <summary>As the guideline prints it: "≤ 0.1%", "> 0.1–1%", "> 10%".</summary>
    public override string ToString() => (AboveExclusive, AtMostInclusive) switch
    {
        (null, { } hi) => $"≤ {F(hi)}%",
        ({ } lo, null) => $"> {F(lo)}%",
        ({ } lo, { } hi) => $"> {F(lo)}–{F(hi)}%",
        _ => "any",
    };

    private static string F(decimal d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
