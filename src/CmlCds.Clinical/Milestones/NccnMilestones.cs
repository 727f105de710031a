namespace CmlCds.Clinical.Milestones;

/// <summary>NCCN response colours (clinical specification §3).</summary>
public enum NccnColour { Green, LightGreen, Yellow, Orange, Red }

/// <summary>One cell of the NCCN milestone table.</summary>
public sealed record NccnRow(Milestone Milestone, PercentBand Band, NccnColour Colour, string Note = "");

/// <summary>What NCCN leaves to the centre (clinical specification §3). Bound from configuration <c>Clinical:Nccn</c>.</summary>
public sealed record NccnSettings
{
    /// <summary>
    /// The 6-month &gt; 1–10% cell: GREEN in V.1.2026 as the clinical specification prints it, ORANGE in newer versions.
    /// Changes rule <c>nccn.milestone.6m</c>.
    /// </summary>
    public NccnColour SixMonthsAboveOneToTen { get; init; } = NccnColour.Green;

    /// <summary>
    /// LIGHT GREEN at 12 months (&gt; 0.1–1%) is optimal when the goal is survival, not when the goal is TFR.
    /// When true, LIGHT GREEN is read as a warning. Changes rule <c>nccn.milestone.12m</c>.
    /// </summary>
    public bool GoalIsTreatmentFreeRemission { get; init; }
}

/// <summary>
/// NCCN CML V.1.2026 milestones as colours (clinical specification §3), mapped onto the card categories:
/// GREEN and LIGHT GREEN → optimal, YELLOW and ORANGE → warning, RED → failure.
/// <code>
/// | %IS       | 3 months | 6 months         | 12 months and after |
/// | > 10%     | YELLOW   | RED              | RED                 |
/// | > 1–10%   | GREEN    | GREEN (ORANGE)*  | YELLOW              |
/// | > 0.1–1%  | GREEN    | GREEN            | LIGHT GREEN         |
/// | ≤ 0.1%    | GREEN    | GREEN            | GREEN               |
/// </code>
/// * configurable: <see cref="NccnSettings.SixMonthsAboveOneToTen"/>.
/// </summary>
public static class NccnMilestones
{
    public static IReadOnlyList<NccnRow> Table(NccnSettings settings) =>
    [
        new(Milestone.Month3, PercentBand.Above(10m), NccnColour.Yellow),
        new(Milestone.Month3, PercentBand.Between(1m, 10m), NccnColour.Green),
        new(Milestone.Month3, PercentBand.Between(0.1m, 1m), NccnColour.Green),
        new(Milestone.Month3, PercentBand.AtMost(0.1m), NccnColour.Green),
        new(Milestone.Month6, PercentBand.Above(10m), NccnColour.Red),
        new(Milestone.Month6, PercentBand.Between(1m, 10m), settings.SixMonthsAboveOneToTen,
            "GREEN in V.1.2026; ORANGE in newer versions (configurable)"),
        new(Milestone.Month6, PercentBand.Between(0.1m, 1m), NccnColour.Green),
        new(Milestone.Month6, PercentBand.AtMost(0.1m), NccnColour.Green),
        new(Milestone.Month12, PercentBand.Above(10m), NccnColour.Red),
        new(Milestone.Month12, PercentBand.Between(1m, 10m), NccnColour.Yellow),
        new(Milestone.Month12, PercentBand.Between(0.1m, 1m), NccnColour.LightGreen,
            "optimal if the goal is survival, not if the goal is TFR"),
        new(Milestone.Month12, PercentBand.AtMost(0.1m), NccnColour.Green),
    ];

    private static readonly IReadOnlyList<NccnRow> DefaultTable = Table(new NccnSettings());

    public static NccnRow Row(Milestone m, decimal percent, NccnSettings settings) =>
        (settings == DefaultSettings ? DefaultTable : Table(settings)).First(r => r.Milestone == m && r.Band.Contains(percent));

    private static readonly NccnSettings DefaultSettings = new();

    public static ResponseCategory Category(NccnColour colour, NccnSettings settings) => colour switch
    {
        NccnColour.Green => ResponseCategory.Optimal,
        NccnColour.LightGreen => settings.GoalIsTreatmentFreeRemission ? ResponseCategory.Warning : ResponseCategory.Optimal,
        NccnColour.Yellow or NccnColour.Orange => ResponseCategory.Warning,
        _ => ResponseCategory.Failure,
    };

    public static string Name(NccnColour c) => c switch
    {
        NccnColour.LightGreen => "LIGHT GREEN",
        _ => c.ToString().ToUpperInvariant(),
    };
}
