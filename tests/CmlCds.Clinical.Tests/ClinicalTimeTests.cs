namespace CmlCds.Clinical.Tests;

/// <summary>How months are counted (ClinicalTime), with the month-end cases.</summary>
public class ClinicalTimeTests
{
    [Theory]
    [InlineData("2024-01-31", "2024-02-29", 1)] // leap-year month end completes the month
    [InlineData("2024-01-31", "2024-02-28", 0)]
    [InlineData("2023-01-31", "2023-02-28", 1)] // non-leap month end
    [InlineData("2024-03-15", "2024-04-14", 0)]
    [InlineData("2024-03-15", "2024-04-15", 1)]
    [InlineData("2024-03-31", "2024-04-30", 1)]
    [InlineData("2024-03-15", "2024-06-15", 3)]
    [InlineData("2024-03-15", "2024-03-10", 0)]
    public void Completed_calendar_months_count_like_an_age(string from, string to, int months) =>
        Assert.Equal(months, ClinicalTime.CompletedCalendarMonths(Chart.D(from), Chart.D(to)));

    [Fact]
    public void Months_on_TKI_are_days_over_30_4375()
    {
        var start = Chart.D("2024-01-01");
        Assert.Equal(365m / 30.4375m, ClinicalTime.MonthsBetween(start, start.AddDays(365)));
        Assert.True(ClinicalTime.MonthsBetween(start, start.AddDays(365)) < 12m, "365 days is just under 12 months (12 months = 365.25 days)");
        Assert.Equal("12", ClinicalTime.FormatMonths(ClinicalTime.MonthsBetween(Chart.D("2024-01-01"), Chart.D("2025-01-01"))));
        Assert.Equal("3", ClinicalTime.FormatMonths(ClinicalTime.MonthsBetween(Chart.D("2024-01-31"), Chart.D("2024-05-01"))));
    }

    [Theory]
    [InlineData("2008-02-29", "2026-02-28", 17)]
    [InlineData("2008-02-29", "2026-03-01", 18)]
    [InlineData("1970-06-01", "2026-05-31", 55)]
    public void Age_in_years(string born, string on, int age) => Assert.Equal(age, ClinicalTime.AgeInYears(Chart.D(born), Chart.D(on)));
}
