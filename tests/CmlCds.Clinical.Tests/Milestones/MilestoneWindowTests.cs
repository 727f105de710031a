using CmlCds.Clinical.Therapy;
using CmlCds.Clinical.Milestones;

namespace CmlCds.Clinical.Tests.Milestones;

/// <summary>clinical specification §3: the row in force from days on the current TKI at the latest result.</summary>
public class MilestoneWindowTests
{
    [Theory]
    [InlineData(69, null)]
    [InlineData(70, Milestone.Month3)]
    [InlineData(149, Milestone.Month3)]
    [InlineData(150, Milestone.Month6)]
    [InlineData(329, Milestone.Month6)]
    [InlineData(330, Milestone.Month12)]
    [InlineData(3000, Milestone.Month12)]
    public void Window_boundaries(int days, Milestone? expected) => Assert.Equal(expected, MilestoneWindows.For(days));

    [Fact]
    public void At_day_69_there_is_no_response_card() =>
        Assert.Null(Chart.OnImatinibSince("2025-01-01").AtDay(69, 50m).Response());

    [Fact]
    public void At_day_70_the_3_month_row_applies() =>
        Assert.Equal(Milestone.Month3, Chart.OnImatinibSince("2025-01-01").AtDay(70, 50m).Response()!.Milestone);

    [Fact]
    public void At_day_149_11_percent_is_a_3_month_warning_not_a_6_month_failure() =>
        Assert.Equal(ResponseCategory.Warning, Chart.OnImatinibSince("2025-01-01").AtDay(149, 11m).Category());

    [Fact]
    public void At_day_150_11_percent_is_a_6_month_failure() =>
        Assert.Equal(ResponseCategory.Failure, Chart.OnImatinibSince("2025-01-01").AtDay(150, 11m).Category());

    [Fact]
    public void At_day_329_0_5_percent_is_6_month_optimal() =>
        Assert.Equal(ResponseCategory.Optimal, Chart.OnImatinibSince("2025-01-01").AtDay(329, 0.5m).Category());

    [Fact]
    public void At_day_330_0_5_percent_is_12_month_warning() =>
        Assert.Equal(ResponseCategory.Warning, Chart.OnImatinibSince("2025-01-01").AtDay(330, 0.5m).Category());

    [Fact]
    public void Window_counts_from_the_current_line_not_the_first()
    {
        var chart = Chart.OnImatinibSince("2023-01-01").SwitchedTo(Tki.Nilotinib, "2025-01-01")
            .WithBcrAbl1(0.5m, "2025-04-15");
        var r = chart.Response()!;
        Assert.Equal(Milestone.Month3, r.Milestone);
        Assert.Equal(Tki.Nilotinib, r.Line.Drug);
        Assert.Equal(ResponseCategory.Optimal, r.Category);
    }
}
