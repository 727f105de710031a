namespace CmlCds.Clinical.Milestones;

/// <summary>One row of the ELN 2020 milestone table.</summary>
public sealed record Eln2020Row(Milestone Milestone, PercentBand Band, ResponseCategory Category, string Note = "");

/// <summary>
/// ELN 2020 milestones (Hochhaus et al., Leukemia 2020, Table 5; clinical specification §3), in the order the guideline prints them.
/// <code>
/// | time                        | optimal  | warning    | failure                       |
/// | 3 months                    | ≤ 10%    | > 10%      | > 10% confirmed within 1–3 m  |
/// | 6 months                    | ≤ 1%     | > 1–10%    | > 10%                         |
/// | 12 months and any time after| ≤ 0.1%   | > 0.1–1%   | > 1%                          |
/// </code>
/// </summary>
public static class Eln2020Milestones
{
    public static readonly IReadOnlyList<Eln2020Row> Table =
    [
        new(Milestone.Month3, PercentBand.AtMost(10m), ResponseCategory.Optimal),
        new(Milestone.Month3, PercentBand.Above(10m), ResponseCategory.Warning,
            "failure when confirmed: the previous result, 1–3 months earlier and itself at ≥ 70 days, was also > 10%"),
        new(Milestone.Month6, PercentBand.AtMost(1m), ResponseCategory.Optimal),
        new(Milestone.Month6, PercentBand.Between(1m, 10m), ResponseCategory.Warning),
        new(Milestone.Month6, PercentBand.Above(10m), ResponseCategory.Failure),
        new(Milestone.Month12, PercentBand.AtMost(0.1m), ResponseCategory.Optimal),
        new(Milestone.Month12, PercentBand.Between(0.1m, 1m), ResponseCategory.Warning),
        new(Milestone.Month12, PercentBand.Above(1m), ResponseCategory.Failure),
    ];

    /// <summary>The %IS above which a 3-month result is not optimal, and which the confirming result must also exceed.</summary>
    public const decimal Month3Ceiling = 10m;

    /// <summary>The confirming result stands 1 to 3 completed calendar months before the latest.</summary>
    public const int ConfirmationMinMonths = 1;
    public const int ConfirmationMaxMonths = 3;

    public static Eln2020Row Row(Milestone m, decimal percent) =>
        Table.First(r => r.Milestone == m && r.Band.Contains(percent));
}
