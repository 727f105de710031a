namespace CmlCds.Clinical;

/// <summary>
/// How time on therapy is counted. One definition for the whole project:
/// <list type="bullet">
/// <item>months on TKI = whole days since the line started / 30.4375 (the mean Gregorian month; clinical specification §1);</item>
/// <item>"n months earlier" between two results (the ELN 3-month confirmation) counts completed calendar months,
/// the way an age is counted; a later date that is the last day of its month completes the month
/// (2024-01-31 to 2024-02-29 is one month).</item>
/// </list>
/// </summary>
public static class ClinicalTime
{
    public const decimal DaysPerMonth = 30.4375m;

    public static int DaysBetween(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    public static decimal MonthsBetween(DateOnly from, DateOnly to) => DaysBetween(from, to) / DaysPerMonth;

    /// <summary>Completed calendar months from <paramref name="from"/> to <paramref name="to"/> (0 when <paramref name="to"/> is earlier).</summary>
    public static int CompletedCalendarMonths(DateOnly from, DateOnly to)
    {
        if (to < from) return 0;
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        var toIsMonthEnd = to.Day == DateTime.DaysInMonth(to.Year, to.Month);
        if (to.Day < from.Day && !toIsMonthEnd) months--;
        return months;
    }

    /// <summary>Years for durations on a card: days / 365.25.</summary>
    public static decimal YearsBetween(DateOnly from, DateOnly to) => DaysBetween(from, to) / 365.25m;

    /// <summary>Years formatted for a card: one decimal, e.g. "3.1".</summary>
    public static string FormatYears(decimal years) =>
        Math.Round(years, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Months formatted for a card: rounded to the nearest month (clinical specification §10), e.g. "12".</summary>
    public static string FormatMonths(decimal months) =>
        Math.Round(months, 0, MidpointRounding.AwayFromZero).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whole years of age on <paramref name="on"/>. A 29 February birthday is reached on 1 March in other years:
    /// the later of the two readings, so an age threshold (TFR: ≥ 18) is never met early.
    /// </summary>
    public static int AgeInYears(DateOnly birthDate, DateOnly on)
    {
        var age = on.Year - birthDate.Year;
        if (on.Month < birthDate.Month || (on.Month == birthDate.Month && on.Day < birthDate.Day)) age--;
        return age;
    }
}
