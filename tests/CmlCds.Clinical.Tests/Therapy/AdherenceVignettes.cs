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

    private static TkiDispense Of(string id, DateOnly day, int? supply, string product, Tki drug = Tki.Imatinib) => new(id, drug, day, supply, product);

    [Fact]
    public void Imatinib_600_as_400_plus_100_mg_handed_over_the_same_day_every_60_days_is_one_supply_not_two()
    {
        // the chart: every 60 days a 30-day pack of 400 mg and a 30-day pack of 100 mg tablets: half the days are covered
        var line = Line(Tki.Imatinib);
        var dispenses = Enumerable.Range(0, 3).SelectMany(i => new[]
        {
            Of($"MedicationDispense/a{i}", WindowStart.AddDays(i * 60), 30, "imatinib 400 mg"),
            Of($"MedicationDispense/b{i}", WindowStart.AddDays(i * 60), 30, "imatinib 100 mg"),
        }).ToList();
        var a = Adherence.Compute(line, dispenses, Today);
        Assert.Equal((90, 50, 3), (a.CoveredDays, a.Percent, a.Dispenses));
        Assert.True(a.Concern);
        Assert.Equal(3, a.Gaps.Count);
    }

    [Fact]
    public void Imatinib_400_plus_100_mg_the_same_day_every_30_days_is_fully_covered_and_no_concern()
    {
        var line = Line(Tki.Imatinib);
        var dispenses = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            Of($"MedicationDispense/a{i}", WindowStart.AddDays(i * 30), 30, "imatinib 400 mg"),
            Of($"MedicationDispense/b{i}", WindowStart.AddDays(i * 30), 30, "imatinib 100 mg"),
        }).ToList();
        var a = Adherence.Compute(line, dispenses, Today);
        Assert.Equal((180, 100, 6), (a.CoveredDays, a.Percent, a.Dispenses));
        Assert.False(a.Concern);
    }

    [Fact]
    public void A_dose_change_with_tablets_left_over_starts_the_new_strength_at_its_handover_and_discards_the_old()
    {
        // 90 days of 400 mg on day 0; the dose changes to 600 mg on day 30 (60 days of 400 mg left, set aside); the new
        // product covers 90 days from day 30, then nothing: 120 days covered, not the 180 carrying forward would give
        var line = Line(Tki.Imatinib);
        var a = Adherence.Compute(line, [Of("MedicationDispense/1", WindowStart, 90, "imatinib 400 mg"),
            Of("MedicationDispense/2", WindowStart.AddDays(30), 90, "imatinib 600 mg")], Today);
        Assert.Equal((120, 66), (a.CoveredDays, a.Percent));
        Assert.True(a.Concern);
        Assert.Equal((WindowStart.AddDays(120), Today), (a.Gaps[0].From, a.Gaps[0].To));
    }

    [Fact]
    public void An_early_refill_of_the_same_strength_is_still_carried_forward()
    {
        var line = Line(Tki.Imatinib);
        var a = Adherence.Compute(line, [Of("MedicationDispense/1", WindowStart, 90, "imatinib 400 mg"),
            Of("MedicationDispense/2", WindowStart.AddDays(60), 90, "imatinib 400 mg")], Today);
        Assert.Equal((180, 100), (a.CoveredDays, a.Percent));
        Assert.False(a.Concern);
    }

    [Fact]
    public void The_same_dispense_recorded_twice_under_two_ids_counts_once()
    {
        // pharmacy system and EHR both record the 90-day dispense of day 0; the next is on day 90
        var a = Adherence.Compute(Line(), [On(WindowStart, 90) with { SourceId = "MedicationDispense/pharmacy" },
            On(WindowStart, 90) with { SourceId = "MedicationDispense/ehr" }], Today);
        Assert.Equal((90, 50, 1), (a.CoveredDays, a.Percent, a.Dispenses));
        Assert.True(a.Concern);
    }

    [Fact]
    public void The_same_dispense_recorded_twice_with_the_next_refill_on_file_is_fully_covered()
    {
        var a = Adherence.Compute(Line(), [On(WindowStart, 90) with { SourceId = "MedicationDispense/pharmacy" },
            On(WindowStart, 90) with { SourceId = "MedicationDispense/ehr" }, On(WindowStart.AddDays(90), 90)], Today);
        Assert.Equal((180, 100, 2), (a.CoveredDays, a.Percent, a.Dispenses));
        Assert.False(a.Concern);
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
    public void A_dispense_without_a_readable_supply_in_a_gap_makes_the_PDC_at_least_and_raises_no_concern_from_that_gap()
    {
        // the chart: 120 days covered, then a dispense whose supply cannot be read, then nothing: it may cover the rest
        var a = Adherence.Compute(Line(), [.. Covering(120), On(WindowStart.AddDays(120), null)], Today);
        Assert.Equal((AdherenceStatus.Computed, 120, 1, 66), (a.Status, a.CoveredDays, a.Uncounted, a.Percent));
        Assert.True(a.AtLeast);
        Assert.False(a.Concern);
        Assert.Empty(a.Gaps);
    }

    [Fact]
    public void Mirror_a_dispense_without_a_readable_supply_does_not_excuse_a_gap_it_is_not_in()
    {
        // covered from day 60 to 180 except a 40-day gap at the start; the unreadable dispense is on day 100, inside cover
        var dispenses = new List<TkiDispense> { On(WindowStart.AddDays(40), 140), On(WindowStart.AddDays(100), null) };
        var a = Adherence.Compute(Line(), dispenses, Today);
        Assert.Equal((140, 77), (a.CoveredDays, a.Percent));
        Assert.True(a.AtLeast);
        Assert.True(a.Concern);
        Assert.Equal((WindowStart, WindowStart.AddDays(40)), (a.Gaps[0].From, a.Gaps[0].To));
    }

    [Fact]
    public void A_line_younger_than_180_days_is_measured_since_its_start()
    {
        var line = Line(Tki.Dasatinib, "2026-04-02");
        var a = Adherence.Compute(line, [On(new DateOnly(2026, 4, 2), 30), On(new DateOnly(2026, 5, 2), 30)], Today);
        Assert.Equal((line.Start, 60, 60, 100), (a.WindowStart, a.WindowDays, a.CoveredDays, a.Percent));
    }
}
