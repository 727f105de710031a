using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests.Therapy;

public class TherapyLineTests
{
    private static TkiOrder O(string id, Tki drug, string start, string? end = null, bool ended = false, bool stopped = false) =>
        new(id, drug, Chart.D(start), end is null ? null : Chart.D(end), ended, stopped);

    [Fact]
    public void Consecutive_orders_of_one_TKI_are_one_line()
    {
        var lines = TherapyLines.Build([O("a", Tki.Imatinib, "2024-01-01", "2024-07-01", true), O("b", Tki.Imatinib, "2024-07-01")]);
        var line = Assert.Single(lines);
        Assert.Equal(Chart.D("2024-01-01"), line.Start);
        Assert.True(line.IsActive);
    }

    [Fact]
    public void Another_TKI_starts_a_new_line_and_ends_the_previous_one()
    {
        var lines = TherapyLines.Build([O("b", Tki.Dasatinib, "2025-02-01"), O("a", Tki.Imatinib, "2024-01-01")]);
        Assert.Equal(2, lines.Count);
        Assert.Equal((1, Tki.Imatinib), (lines[0].Number, lines[0].Drug));
        Assert.True(lines[0].Ended);
        Assert.Equal(Chart.D("2025-02-01"), lines[0].End);
        Assert.Equal((2, Tki.Dasatinib), (lines[1].Number, lines[1].Drug));
        Assert.True(lines[1].IsActive);
    }

    [Fact]
    public void A_line_whose_orders_are_all_stopped_has_ended()
    {
        var line = Assert.Single(TherapyLines.Build([O("a", Tki.Nilotinib, "2018-01-01", "2023-06-30", true)]));
        Assert.True(line.Ended);
        Assert.Equal(Chart.D("2023-06-30"), line.End);
    }

    [Fact]
    public void A_refill_after_a_completed_order_continues_the_line_even_after_a_gap()
    {
        var line = Assert.Single(TherapyLines.Build([O("a", Tki.Imatinib, "2024-01-01", "2024-12-31", true), O("b", Tki.Imatinib, "2025-01-20")]));
        Assert.Equal(Chart.D("2024-01-01"), line.Start);
    }

    [Fact]
    public void Restarting_the_same_TKI_after_a_stop_is_a_new_line()
    {
        var lines = TherapyLines.Build([O("a", Tki.Imatinib, "2018-01-01", "2025-01-31", true, stopped: true), O("b", Tki.Imatinib, "2025-07-01")]);
        Assert.Equal(2, lines.Count);
        Assert.Equal(Chart.D("2025-01-31"), lines[0].End);
        Assert.Equal(Chart.D("2025-07-01"), lines[1].Start);
    }

    [Fact]
    public void No_response_card_when_the_last_line_has_ended() =>
        Assert.Null(Chart.OnImatinibSince("2020-01-01").AtDay(365, 0.05m).Stopped("2025-01-01").Response());
}
