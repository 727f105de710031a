namespace CmlCds.Fhir.Tests;

public class FhirDateTests
{
    [Theory]
    [InlineData("2024", 2024, 1, 1, FhirDatePrecision.Year)]
    [InlineData("2024-03", 2024, 3, 1, FhirDatePrecision.Month)]
    [InlineData("2024-03-15", 2024, 3, 15, FhirDatePrecision.Day)]
    [InlineData("2024-03-15T23:30:00+02:00", 2024, 3, 15, FhirDatePrecision.Time)]
    [InlineData("2024-03-15T23:30:00Z", 2024, 3, 15, FhirDatePrecision.Time)]
    [InlineData("2024-02-29", 2024, 2, 29, FhirDatePrecision.Day)]
    [InlineData("1800-01-01", 1800, 1, 1, FhirDatePrecision.Day)]
    [InlineData("2999-12-31", 2999, 12, 31, FhirDatePrecision.Day)]
    public void Valid_dates_read_as_written(string text, int y, int m, int d, FhirDatePrecision precision)
    {
        Assert.True(FhirDate.TryParse(text, out var date, out var p));
        Assert.Equal(new DateOnly(y, m, d), date);
        Assert.Equal(precision, p);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2023-02-29")]
    [InlineData("2024-13-01")]
    [InlineData("15/03/2024")]
    [InlineData("2024-03-15Tnoon")]
    [InlineData("0001-01-01")]
    [InlineData("0001-01-01T00:00:00-12:00")]
    [InlineData("1799-12-31")]
    [InlineData("3000-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("9999-12-31T23:59:59+14:00")]
    [InlineData("9999")]
    public void Invalid_dates_are_rejected(string? text) => Assert.False(FhirDate.TryParse(text, out _, out _));
}
