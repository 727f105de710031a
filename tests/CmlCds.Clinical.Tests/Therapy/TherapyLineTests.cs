using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests.Therapy;

/// <summary>Therapy lines as a clinic records them (clinical specification §1, "Therapy lines and stops").</summary>
public class TherapyLineTests
{
    private static TkiOrder O(string id, Tki drug, string start, string? end = null, bool ended = false, bool stopped = false) =>
        new(id, drug, Chart.D(start), end is null ? null : Chart.D(end), ended, stopped);

    private static TkiOrder Stopped(string id, Tki drug, string start, string end, ChangeReason reason = ChangeReason.Unknown) =>
        O(id, drug, start, end, true, true) with { StopReason = reason };

    private static TkiOrder Completed(string id, Tki drug, string start, string? end) => O(id, drug, start, end, true);

    private static IReadOnlyList<ScoredResult> Results(params (string Date, decimal Percent)[] rs) =>
        rs.Select(r => ScoredResult.Score(new BcrAbl1Result($"Observation/{r.Date}", Chart.D(r.Date), r.Percent))).ToList();

    [Fact]
    public void Consecutive_orders_of_one_TKI_are_one_line()
    {
        var lines = TherapyLines.Build([Completed("a", Tki.Imatinib, "2024-01-01", "2024-07-01"), O("b", Tki.Imatinib, "2024-07-01")]);
        var line = Assert.Single(lines);
        Assert.Equal(Chart.D("2024-01-01"), line.Start);
        Assert.True(line.IsActive);
        Assert.Empty(line.Gaps);
    }

    [Fact]
    public void Another_TKI_starts_a_new_line_and_ends_the_previous_one()
    {
        var lines = TherapyLines.Build([O("b", Tki.Dasatinib, "2025-02-01"), O("a", Tki.Imatinib, "2024-01-01")]);
        Assert.Equal(2, lines.Count);
        Assert.Equal((1, Tki.Imatinib), (lines[0].Number, lines[0].Drug));
        Assert.True(lines[0].Ended);
        Assert.False(lines[0].ExplicitStop);
        Assert.Equal(Chart.D("2025-02-01"), lines[0].End);
        Assert.Equal((2, Tki.Dasatinib), (lines[1].Number, lines[1].Drug));
        Assert.True(lines[1].IsActive);
    }

    [Fact]
    public void An_explicit_stop_ends_the_line()
    {
        var line = Assert.Single(TherapyLines.Build([Stopped("a", Tki.Nilotinib, "2018-01-01", "2023-06-30")]));
        Assert.True(line.Ended);
        Assert.True(line.ExplicitStop);
        Assert.Equal(Chart.D("2023-06-30"), line.End);
    }

    [Fact]
    public void A_prescription_that_ran_out_is_not_a_stop_the_line_is_current_and_lapsed()
    {
        var line = Assert.Single(TherapyLines.Build([Completed("a", Tki.Nilotinib, "2018-01-01", "2023-06-30")]));
        Assert.True(line.IsActive);
        Assert.False(line.ExplicitStop);
        Assert.Null(line.End);
        Assert.Equal(Chart.D("2023-06-30"), line.LapsedSince);
    }

    [Fact]
    public void A_completed_order_renewed_is_current_and_not_lapsed()
    {
        var line = Assert.Single(TherapyLines.Build([Completed("a", Tki.Imatinib, "2024-01-01", "2024-12-31"), O("b", Tki.Imatinib, "2025-01-05")]));
        Assert.Null(line.LapsedSince);
        Assert.Empty(line.Interruptions);
    }

    [Fact]
    public void A_refill_after_a_completed_order_continues_the_line_and_a_gap_over_14_days_is_listed()
    {
        var line = Assert.Single(TherapyLines.Build([Completed("a", Tki.Imatinib, "2024-01-01", "2024-12-31"), O("b", Tki.Imatinib, "2025-01-20")]));
        Assert.Equal(Chart.D("2024-01-01"), line.Start);
        var gap = Assert.Single(line.Interruptions);
        Assert.Equal((Chart.D("2024-12-31"), Chart.D("2025-01-20"), 20), (gap.From, gap.To, gap.Days));
    }

    [Fact]
    public void A_gap_of_14_days_is_not_listed_but_is_not_counted_as_time_on_TKI()
    {
        var line = Assert.Single(TherapyLines.Build([Completed("a", Tki.Imatinib, "2024-01-01", "2024-06-01"), O("b", Tki.Imatinib, "2024-06-15")]));
        Assert.Empty(line.Interruptions);
        Assert.Single(line.Gaps);
        Assert.Equal(ClinicalTime.DaysBetween(Chart.D("2024-01-01"), Chart.D("2025-01-01")) - 14, line.ExposureDays(Chart.D("2025-01-01")));
    }

    [Fact]
    public void A_dose_change_recorded_as_stop_and_new_order_of_the_same_TKI_is_the_same_line()
    {
        // Imatinib 400 mg stopped on 2025-04-01 and 600 mg ordered the same day, in MR2: not a TFR stop.
        var lines = TherapyLines.Build([Stopped("a", Tki.Imatinib, "2024-06-01", "2025-04-01"), O("b", Tki.Imatinib, "2025-04-01")],
            Results(("2025-03-01", 0.5m)));
        var line = Assert.Single(lines);
        Assert.Equal(Chart.D("2024-06-01"), line.Start);
        Assert.True(line.IsActive);
        Assert.Empty(line.Gaps);
    }

    [Fact]
    public void An_interruption_for_toxicity_is_the_same_line_listed_and_off_time_is_not_exposure()
    {
        var lines = TherapyLines.Build([Stopped("a", Tki.Dasatinib, "2020-01-01", "2021-01-01"), O("b", Tki.Dasatinib, "2021-03-02")],
            Results(("2020-12-01", 0.05m)));
        var line = Assert.Single(lines);
        var gap = Assert.Single(line.Interruptions);
        Assert.Equal(60, gap.Days);
        var today = Chart.D("2022-01-01");
        Assert.Equal(ClinicalTime.DaysBetween(line.Start, today) - 60, line.ExposureDays(today));
    }

    [Fact]
    public void Restarting_the_same_TKI_after_a_stop_in_MR4_is_retreatment_a_new_line()
    {
        var lines = TherapyLines.Build([Stopped("a", Tki.Imatinib, "2018-01-01", "2025-01-31"), O("b", Tki.Imatinib, "2025-07-01")],
            Results(("2025-01-10", 0.005m), ("2025-05-01", 0.4m)));
        Assert.Equal(2, lines.Count);
        Assert.True(lines[0].ExplicitStop);
        Assert.Equal(Chart.D("2025-01-31"), lines[0].End);
        Assert.Equal(Chart.D("2025-07-01"), lines[1].Start);
        Assert.True(lines[1].Retreatment);
    }

    [Fact]
    public void A_restart_within_14_days_of_a_stop_in_MR4_is_an_interruption_not_a_TFR_attempt()
    {
        var lines = TherapyLines.Build([Stopped("a", Tki.Imatinib, "2018-01-01", "2025-01-31"), O("b", Tki.Imatinib, "2025-02-14")],
            Results(("2025-01-10", 0.005m)));
        var line = Assert.Single(lines);
        Assert.False(line.Retreatment);
    }

    [Fact]
    public void A_switch_for_intolerance_carries_its_reason_from_the_stopped_order()
    {
        var lines = TherapyLines.Build([Stopped("a", Tki.Imatinib, "2020-01-01", "2021-01-01", ChangeReason.Intolerance), O("b", Tki.Nilotinib, "2021-01-02")]);
        Assert.Equal(ChangeReason.Intolerance, lines[1].SwitchReason);
        Assert.False(lines[1].Retreatment);
    }

    [Fact]
    public void A_switch_for_resistance_is_a_new_line_with_its_reason_from_the_new_order()
    {
        var lines = TherapyLines.Build([O("a", Tki.Imatinib, "2020-01-01"), O("b", Tki.Dasatinib, "2021-01-02") with { StartReason = ChangeReason.Resistance }]);
        Assert.Equal(2, lines.Count);
        Assert.Equal(ChangeReason.Resistance, lines[1].SwitchReason);
    }

    [Fact]
    public void A_switch_without_a_recorded_reason_is_unknown()
    {
        var lines = TherapyLines.Build([O("a", Tki.Imatinib, "2020-01-01"), O("b", Tki.Dasatinib, "2021-01-02")]);
        Assert.Equal(ChangeReason.Unknown, lines[1].SwitchReason);
    }

    [Fact]
    public void Lines_do_not_depend_on_order_ids_or_input_order()
    {
        TkiOrder[] orders = [Completed("z", Tki.Imatinib, "2020-01-01", "2020-06-01"), Stopped("a", Tki.Imatinib, "2020-06-01", "2021-01-01"), O("m", Tki.Imatinib, "2021-02-01")];
        var one = TherapyLines.Build(orders);
        var renamed = TherapyLines.Build(orders.Reverse().Select((o, i) => o with { SourceId = $"MedicationRequest/{i}" }));
        Assert.Equal(one.Select(l => (l.Number, l.Drug, l.Start, l.End, l.Ended)), renamed.Select(l => (l.Number, l.Drug, l.Start, l.End, l.Ended)));
        Assert.Equal(one.SelectMany(l => l.Gaps), renamed.SelectMany(l => l.Gaps));
    }

    [Fact]
    public void No_response_card_when_the_last_line_has_ended() =>
        Assert.Null(Chart.OnImatinibSince("2020-01-01").AtDay(365, 0.05m).Stopped("2025-01-01").Response());
}
