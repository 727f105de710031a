using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Tests.Responses;

/// <summary>clinical specification §2: a pair on each side of every level threshold (inclusive).</summary>
public class ResponseLevelTests
{
    [Theory]
    [InlineData("10", ResponseLevel.MR1)]
    [InlineData("10.01", ResponseLevel.None)]
    [InlineData("1", ResponseLevel.MR2)]
    [InlineData("1.01", ResponseLevel.MR1)]
    [InlineData("0.1", ResponseLevel.MMR)]
    [InlineData("0.11", ResponseLevel.MR2)]
    [InlineData("0.01", ResponseLevel.MR4)]
    [InlineData("0.011", ResponseLevel.MMR)]
    [InlineData("0.0032", ResponseLevel.MR4_5)]
    [InlineData("0.0033", ResponseLevel.MR4)]
    [InlineData("0.001", ResponseLevel.MR5)]
    [InlineData("0.0011", ResponseLevel.MR4_5)]
    [InlineData("0", ResponseLevel.MR5)]
    public void Percent_scores_at_the_deepest_level_it_reaches(string percent, ResponseLevel expected) =>
        Assert.Equal(expected, ResponseLevels.ForPercent(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(10_000, null, ResponseLevel.MR4)]
    [InlineData(9_999, null, ResponseLevel.MMR)]
    [InlineData(null, 24_000, ResponseLevel.MR4)]
    [InlineData(null, 23_999, ResponseLevel.MMR)]
    [InlineData(32_000, null, ResponseLevel.MR4_5)]
    [InlineData(31_999, null, ResponseLevel.MR4)]
    [InlineData(null, 77_000, ResponseLevel.MR4_5)]
    [InlineData(null, 76_999, ResponseLevel.MR4)]
    [InlineData(100_000, null, ResponseLevel.MR5)]
    [InlineData(99_999, null, ResponseLevel.MR4_5)]
    [InlineData(null, 240_000, ResponseLevel.MR5)]
    [InlineData(null, 239_999, ResponseLevel.MR4_5)]
    public void Copies_support_the_deepest_level_whose_minimum_they_meet(int? abl1, int? gusb, ResponseLevel expected) =>
        Assert.Equal(expected, ResponseLevels.SupportedByCopies(abl1, gusb));

    [Theory]
    [InlineData("10", 1.0)]
    [InlineData("0.1", 3.0)]
    [InlineData("0.01", 4.0)]
    public void Log_reduction_is_log10_of_100_over_percent(string percent, double logs) =>
        Assert.Equal(logs, ResponseLevels.LogReduction(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture)), 6);
}
