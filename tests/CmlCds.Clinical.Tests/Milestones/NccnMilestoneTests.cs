using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;

namespace CmlCds.Clinical.Tests.Milestones;

/// <summary>NCCN (clinical specification §3): colours on each side of every threshold, and the two configurable cells.</summary>
public class NccnMilestoneTests
{
    private static ResponseFinding At(int day, decimal percent, NccnSettings? settings = null) =>
        Chart.OnImatinibSince("2025-01-01").AtDay(day, percent).Response(Guideline.Nccn, settings)!;

    [Theory]
    [InlineData(91, "10.1", NccnColour.Yellow, ResponseCategory.Warning)]
    [InlineData(91, "10", NccnColour.Green, ResponseCategory.Optimal)]
    [InlineData(91, "0.05", NccnColour.Green, ResponseCategory.Optimal)]
    [InlineData(182, "10.1", NccnColour.Red, ResponseCategory.Failure)]
    [InlineData(182, "10", NccnColour.Green, ResponseCategory.Optimal)]
    [InlineData(182, "1.0", NccnColour.Green, ResponseCategory.Optimal)]
    [InlineData(182, "0.1", NccnColour.Green, ResponseCategory.Optimal)]
    [InlineData(365, "10.1", NccnColour.Red, ResponseCategory.Failure)]
    [InlineData(365, "10", NccnColour.Yellow, ResponseCategory.Warning)]
    [InlineData(365, "1.1", NccnColour.Yellow, ResponseCategory.Warning)]
    [InlineData(365, "1.0", NccnColour.LightGreen, ResponseCategory.Optimal)]
    [InlineData(365, "0.11", NccnColour.LightGreen, ResponseCategory.Optimal)]
    [InlineData(365, "0.1", NccnColour.Green, ResponseCategory.Optimal)]
    public void Colour_and_category(int day, string percent, NccnColour colour, ResponseCategory category)
    {
        var r = At(day, decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(colour, r.Colour);
        Assert.Equal(category, r.Category);
        Assert.StartsWith("nccn.milestone.", r.RuleIds[0]);
    }

    [Fact]
    public void Six_month_1_to_10_percent_is_orange_warning_when_configured()
    {
        var r = At(182, 5m, new NccnSettings { SixMonthsAboveOneToTen = NccnColour.Orange });
        Assert.Equal(NccnColour.Orange, r.Colour);
        Assert.Equal(ResponseCategory.Warning, r.Category);
    }

    [Fact]
    public void Light_green_is_a_warning_when_the_goal_is_TFR() =>
        Assert.Equal(ResponseCategory.Warning, At(365, 0.5m, new NccnSettings { GoalIsTreatmentFreeRemission = true }).Category);

    [Fact]
    public void NCCN_has_no_3_month_confirmation_rule() =>
        Assert.Equal(ResponseCategory.Warning, Chart.OnImatinibSince("2025-01-01").AtDay(75, 24m).AtDay(120, 18m).Category(Guideline.Nccn));

    [Fact]
    public void NCCN_loss_of_MMR_is_applied_too()
    {
        var r = Chart.OnImatinibSince("2025-01-01").AtDay(91, 0.05m).AtDay(182, 0.5m).Response(Guideline.Nccn)!;
        Assert.Equal(ResponseCategory.Warning, r.Category);
        Assert.Contains("nccn.loss-of-mmr", r.RuleIds);
    }
}
