using System.Globalization;

namespace CmlCds.Api;

/// <summary>
/// <c>Clock:Today=YYYY-MM-DD</c>, Development only: every call counts from that date (the time of day stays real), so
/// README's example requests, whose dates sit around 2026-06-01, give their committed responses on any day. Refused
/// in any other environment: a live service reads the real date.
/// </summary>
public static class ClinicDate
{
    public const string Setting = "Clock:Today";

    public static TimeProvider Clock(IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration[Setting] is not { Length: > 0 } text) return TimeProvider.System;
        if (!environment.IsDevelopment())
            throw new InvalidOperationException($"{Setting} is set and the environment is '{environment.EnvironmentName}': a fixed clinic date is for Development only; remove it.");
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var today))
            throw new InvalidOperationException($"{Setting} must be a date written YYYY-MM-DD, e.g. 2026-06-01, not '{text}'.");
        return new FixedDate(today);
    }

    private sealed class FixedDate(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() =>
            new(today.ToDateTime(TimeOnly.FromTimeSpan(System.GetUtcNow().TimeOfDay)), TimeSpan.Zero);
    }
}
