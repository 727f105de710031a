using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CmlCds.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CmlCds.Api.Apis;

/// <summary>
/// GET /admin/analytics?from=YYYY-MM-DD&amp;to=YYYY-MM-DD: per card topic and rule id, cards shown, accepted,
/// overridden and the override reasons. Exists only when <c>Admin:ApiKey</c> is configured; the key is sent as a
/// bearer token (compared in constant time). Without from/to: the last 30 days.
/// </summary>
public static class AdminApi
{
    public const string ApiKeySetting = "Admin:ApiKey";
    public const int MinKeyLength = 16;

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        var key = configuration[ApiKeySetting];
        if (string.IsNullOrEmpty(key)) return app;
        if (key.Trim() != key || key.Length < MinKeyLength)
            throw new StartupRefusedException($"{ApiKeySetting} must be at least {MinKeyLength} characters with no space before or after it (HTTP trims header values, so such a key would match without its spaces).");
        var expected = Encoding.UTF8.GetBytes("Bearer " + key);
        app.MapGet("/admin/analytics", async Task<Results<ContentHttpResult, UnauthorizedHttpResult, ProblemHttpResult>> (
            HttpRequest http, Analytics analytics, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var given = Encoding.UTF8.GetBytes(http.Headers.Authorization.ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, expected)) return TypedResults.Unauthorized();
            if (!TryRange(http.Query["from"], http.Query["to"], clock, out var from, out var to, out var error))
                return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid date range");
            var report = await analytics.ReportAsync(from, to, cancellationToken);
            return TypedResults.Text(System.Text.Json.JsonSerializer.Serialize(report, AdminJsonContext.Default.AnalyticsReport), "application/json");
        });
        return app;
    }

    /// <summary>The widest range asked for (the whole history fits in it; dates beyond are no data and no date arithmetic).</summary>
    public const int MinYear = 2000, MaxYear = 2999;

    /// <summary>Inclusive UTC days; default the last 30 days up to today.</summary>
    public static bool TryRange(string? fromText, string? toText, TimeProvider clock, out DateOnly from, out DateOnly to, out string error)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        from = today.AddDays(-29);
        to = today;
        error = "";
        if (!string.IsNullOrEmpty(toText) && !DateOnly.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out to))
            error = "'to' must be a date, YYYY-MM-DD.";
        else if (!string.IsNullOrEmpty(fromText) && !DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
            error = "'from' must be a date, YYYY-MM-DD.";
        else if (from > to)
            error = "'from' is after 'to'.";
        else if (from.Year < MinYear || to.Year > MaxYear)
            error = $"'from' and 'to' must lie in the years {MinYear}-{MaxYear}.";
        return error.Length == 0;
    }
}
