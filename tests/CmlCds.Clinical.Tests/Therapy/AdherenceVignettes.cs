using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests.Therapy;

/// <summary>
/// Proportion of days covered (clinical specification §11), one reading per vignette, a pair on each side of 90%. The clinic
/// date is 2026-06-01; the window of a line older than 180 days is 2025-12-03 to 2026-06-01.
/// </summary>
public class AdherenceVignettes
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly DateOnly WindowStart = Today.AddDays(-180);

    private static TherapyLine Line(Tki drug = Tki.Dasatinib, string start = "2025-01-10") =>
        TherapyLines.Build([new TkiOrder("MedicationRequest/1", drug, DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), null, false)])[0];

    private static TkiDispense On(DateOnly day, int? supply, Tki drug = Tki.Dasatinib) => new($"MedicationDispense/{day:yyyyMMdd}", drug, day, supply);

    /// <summary>Dispenses of <paramref name="supply"/> days back to back from the window's start, covering <paramref name="days"/> days of it.</summary>
    private static List<TkiDispense> Covering(int days, int supply = 30)
    {
        var list = new List<TkiDispense>();
        for (var from = 0; from < days; from += supply)
            list.Add(On(WindowStart.AddDays(from), Math.Min(supply, days - from)));
        return list;
    }

    [Fact]
    public void Dispensed_every_30_days_through_the_window_is_100_percent_and_no_concern()
    {
        var a = Adherence.Compute(Line(), Covering(180), Today);
        Assert.Equal(AdherenceStatus.Computed, a.Status);
        Assert.Equal((180, 180, 100, 6), (a.WindowDays, a.CoveredDays, a.Percent, a.Dispenses));
        Assert.False(a.Concern);
        Assert.Empty(a.Gaps);
    }

    [Fact]
    public void Covered_161_of_180_days_is_89_percent_a_concern_with_the_gap_at_the_window_end()
    {
        var a = Adherence.Compute(Line(), Covering(161), Today);
        Assert.Equal(89, a.Percent);
        Assert.True(a.Concern);
        var gap = Assert.Single(a.Gaps);
        Assert.Equal((WindowStart.AddDays(161), Today, 19), (gap.From, gap.To, gap.Days));
    }

    [Fact]
    public void Covered_164_of_180_days_is_91_percent_and_no_concern()
    {
        var a = Adherence.Compute(Line(), Covering(164), Today);
        Assert.Equal(91, a.Percent);
        Assert.False(a.Concern);
    }

    [Theory]
    [InlineData(162, 90, false)] // exactly 90%: not below
    [InlineData(161, 89, true)]  // 89.4%
    [InlineData(163, 90, false)] // 90.6%: shown 90 (never rounded up)
    public void The_threshold_is_below_90_percent_exactly_and_the_percent_is_never_rounded_up(int covered, int shown, bool concern)
    {
        var a = Adherence.Compute(Line(), Covering(covered), Today);
        Assert.Equal((shown, concern), (a.Percent, a.Concern));
    }

    [Fact]
    public void Gaps_at_both_window_edges_are_dated_from_the_first_day_of_the_window_and_to_today()
    {
        // the supply before the window ended 20 days before it; the next dispense is 15 days into the window
        var a = Adherence.Compute(Line(), [On(WindowStart.AddDays(-50), 30), .. Covering(150).Select(d => d with { HandedOver = d.HandedOver.AddDays(15) })], Today);
        Assert.Equal([(WindowStart, WindowStart.AddDays(15)), (WindowStart.AddDays(165), Today)], a.Gaps.Select(g => (g.From, g.To)));
        Assert.Equal((150, 83), (a.CoveredDays, a.Percent));
        Assert.True(a.Concern);
    }

    [Fact]
    public void Supply_handed_over_before_the_window_counts_for_the_days_it_reaches_into_it()
    {
        var a = Adherence.Compute(Line(), [On(WindowStart.AddDays(-10), 30), On(WindowStart.AddDays(20), 160)], Today);
        Assert.Equal(180, a.CoveredDays);
        Assert.Equal(2, a.Dispenses);
        Assert.Empty(a.Gaps);
    }

    [Fact]
    public void Early_refills_are_carried_forward_not_double_counted_and_capped_at_today()
    {
        // 30 days every 20 days: each refill starts when the supply before it ends; cover past today is not counted
        var dispenses = Enumerable.Range(0, 9).Select(i => On(WindowStart.AddDays(i * 20), 30)).ToList();
        var a = Adherence.Compute(Line(), dispenses, Today);
        Assert.Equal(180, a.CoveredDays);
        Assert.Equal(100, a.Percent);
        Assert.Equal(6, a.Dispenses); // the last three start after today once carried forward
    }

    [Fact]
    public void Mirror_the_same_refills_without_carrying_forward_would_leave_a_gap_that_carrying_closes()
    {
        // two 30-day supplies on the same day, then a gap: carried forward they cover 60 days, not 30
        var a = Adherence.Compute(Line(), [On(WindowStart, 30), On(WindowStart, 30), On(WindowStart.AddDays(90), 90)], Today);
        Assert.Equal(150, a.CoveredDays);
        var gap = Assert.Single(a.Gaps);
        Assert.Equal((WindowStart.AddDays(60), WindowStart.AddDays(90)), (gap.From, gap.To));
    }

    [Fact]
    public void No_dispense_records_is_said_so_never_read_as_good_adherence()
    {
        var a = Adherence.Compute(Line(), [], Today);
        Assert.Equal(AdherenceStatus.NoDispenseRecords, a.Status);
        Assert.False(a.Concern);
        Assert.Equal(0, a.Percent);
    }

    [Fact]
    public void Dispenses_of_another_TKI_or_from_before_the_line_are_not_this_lines_records()
    {
        var line = Line(Tki.Nilotinib, "2026-01-01");
        var a = Adherence.Compute(line, [On(new DateOnly(2025, 12, 1), 60, Tki.Nilotinib), On(new DateOnly(2026, 1, 2), 30, Tki.Imatinib)], Today);
        Assert.Equal(AdherenceStatus.NoDispenseRecords, a.Status);
    }

    [Fact]
    public void Dispenses_without_a_readable_supply_make_it_not_computable()
    {
        var a = Adherence.Compute(Line(), [On(WindowStart.AddDays(10), null), On(WindowStart.AddDays(40), null)], Today);
        Assert.Equal(AdherenceStatus.NotComputable, a.Status);
        Assert.Equal(2, a.Uncounted);
        Assert.False(a.Concern);
    }

    [Fact]
    public void A_dispense_without_a_supply_beside_readable_ones_is_not_counted_and_counts_as_uncovered()
    {
        var a = Adherence.Compute(Line(), [.. Covering(120), On(WindowStart.AddDays(120), null)], Today);
        Assert.Equal((AdherenceStatus.Computed, 120, 1, true), (a.Status, a.CoveredDays, a.Uncounted, a.Concern));
    }

    [Fact]
    public void A_line_younger_than_180_days_is_measured_since_its_start()
    {
        var line = Line(Tki.Dasatinib, "2026-04-02");
        var a = Adherence.Compute(line, [On(new DateOnly(2026, 4, 2), 30), On(new DateOnly(2026, 5, 2), 30)], Today);
        Assert.Equal((line.Start, 60, 60, 100), (a.WindowStart, a.WindowDays, a.CoveredDays, a.Percent));
    }
}
