using System.Globalization;

namespace CmlCds.Fhir;

public enum FhirDatePrecision { Year, Month, Day, Time }

/// <summary>
/// Reads FHIR <c>date</c>/<c>dateTime</c>/<c>instant</c> strings ("2024", "2024-03", "2024-03-15",
/// "2024-03-15T10:30:00+01:00"). The clinical date is the calendar date as written, in the sender's own
/// time zone: a result taken at 23:30 local time is dated that day. Years outside <see cref="MinYear"/>–<see cref="MaxYear"/>
/// are valid FHIR but no clinical date (year 0001 or 9999 is a placeholder or an error): they do not read, so the mapping
/// sets the datum aside with a data-quality note, and no date arithmetic near the ends of the calendar is ever done.
/// </summary>
public static class FhirDate
{
    /// <summary>The earliest year read as a date (birth dates of the oldest living patients fall well after it).</summary>
    public const int MinYear = 1800;

    /// <summary>The latest year read as a date: far beyond any real date, far from <see cref="DateOnly.MaxValue"/>.</summary>
    public const int MaxYear = 2999;

    public static bool TryParse(string? value, out DateOnly date, out FhirDatePrecision precision)
    {
        date = default;
        precision = FhirDatePrecision.Year;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var s = value.AsSpan().Trim();
        if (s.Length >= 4 && int.TryParse(s[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            if (s.Length == 4)
                return Make(year, 1, 1, FhirDatePrecision.Year, out date, out precision);
            if (s.Length == 7 && s[4] == '-' && int.TryParse(s[5..7], NumberStyles.None, CultureInfo.InvariantCulture, out var month))
                return Make(year, month, 1, FhirDatePrecision.Month, out date, out precision);
            if (s.Length >= 10 && s[4] == '-' && s[7] == '-'
                && int.TryParse(s[5..7], NumberStyles.None, CultureInfo.InvariantCulture, out month)
                && int.TryParse(s[8..10], NumberStyles.None, CultureInfo.InvariantCulture, out var day))
            {
                if (s.Length == 10)
                    return Make(year, month, day, FhirDatePrecision.Day, out date, out precision);
                if (s[10] == 'T' && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                    return Make(year, month, day, FhirDatePrecision.Time, out date, out precision);
            }
        }
        return false;
    }

    private static bool Make(int year, int month, int day, FhirDatePrecision p, out DateOnly date, out FhirDatePrecision precision)
    {
        precision = p;
        date = default;
        if (year is < MinYear or > MaxYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
