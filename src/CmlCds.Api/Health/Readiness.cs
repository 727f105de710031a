using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using CmlCds.Api.Storage;
using CmlCds.Hooks.Mapping;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Health;

/// <summary>
/// Configuration section <c>Shutdown</c>: what the service does between SIGTERM and exit. First it reports not ready
/// (<c>/readyz</c> 503) while still answering, for <see cref="DelaySeconds"/>, so that the load balancer stops sending
/// it calls; then it stops listening, finishes the calls in flight and writes the queued audit, within
/// <see cref="DrainSeconds"/>.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>Seconds not ready but still answering after SIGTERM (a load balancer's probe period or more; Kubernetes: 5).</summary>
    [Range(0, 300)]
    public int DelaySeconds { get; set; }

    /// <summary>Seconds then allowed for the calls in flight and the audit's last write.</summary>
    [Range(1, 600)]
    public int DrainSeconds { get; set; } = 30;
}

/// <summary>One readiness check's outcome.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);

/// <summary>What <c>/readyz</c> answers.</summary>
public sealed record ReadinessReport(string Status, IReadOnlyList<ReadinessCheck> Checks);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;

/// <summary>
/// Readiness: the database answers and is at the schema version this build expects, the conformance package (profiles,
/// ValueSets, TKI codes) is loaded, and the service is not shutting down.
/// </summary>
public sealed class Readiness(Database database)
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public void StartDraining() => _draining = true;

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<ReadinessCheck>
        {
            _draining ? new("shutdown", false, "shutting down: finishing the calls in flight") : new("shutdown", true, "running"),
            Conformance(),
        };
        checks.AddRange(await StorageAsync(cancellationToken).ConfigureAwait(false));
        return new ReadinessReport(checks.TrueForAll(c => c.Ok) ? "ready" : "not ready", checks);
    }

    private static ReadinessCheck Conformance()
    {
        var package = CmlProfiles.Package;
        var ok = package.Profiles.Count > 0 && package.ValueSets.Count > 0 && Codes.TkiByAtc.Count + Codes.TkiByRxNorm.Count > 0;
        return new("conformance", ok, string.Create(CultureInfo.InvariantCulture, $"{package.Profiles.Count} profiles, {package.ValueSets.Count} ValueSets"));
    }

    private async Task<ReadinessCheck[]> StorageAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using var connection = await database.OpenAsync(timeout.Token).ConfigureAwait(false);
            await using var command = Database.Command(connection, null, "SELECT MAX(version) FROM schema_version");
            var value = await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            var version = value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
            return
            [
                new("storage", true, database.Provider.ToString()),
                new("migrations", version == Migrations.Latest, string.Create(CultureInfo.InvariantCulture, $"schema version {version} of {Migrations.Latest}")),
            ];
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            if (cancellationToken.IsCancellationRequested) throw;
            return [new("storage", false, $"{database.Provider} unreachable ({e.GetType().Name})"), new("migrations", false, "unknown: storage unreachable")];
        }
    }
}

/// <summary>
/// At SIGTERM, before the server stops listening: readiness goes to 503 and the service keeps answering for
/// <see cref="ShutdownOptions.DelaySeconds"/>. The host then stops Kestrel (calls in flight finish) and the audit
/// writer (the queue is written), all within the host's shutdown timeout (delay + drain).
/// </summary>
public sealed partial class GracefulShutdown(Readiness readiness, IOptions<ShutdownOptions> options, ILogger<GracefulShutdown> log) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.StartDraining();
        LogDraining(log, options.Value.DelaySeconds, options.Value.DrainSeconds);
        if (options.Value.DelaySeconds > 0)
            await Task.Delay(TimeSpan.FromSeconds(options.Value.DelaySeconds), cancellationToken).ConfigureAwait(false);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "shutting down: not ready now, answering for {DelaySeconds} s more, then {DrainSeconds} s for the calls in flight and the audit")]
    private static partial void LogDraining(ILogger log, int delaySeconds, int drainSeconds);
}

public static class HealthExtensions
{
    public static void AddCmlCdsHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShutdownOptions>().Bind(builder.Configuration.GetSection(ShutdownOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var shutdown = builder.Configuration.GetSection(ShutdownOptions.Section).Get<ShutdownOptions>() ?? new ShutdownOptions();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.DelaySeconds + shutdown.DrainSeconds));
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddHostedService<GracefulShutdown>();
    }

    /// <summary><c>/healthz</c>: the process answers (liveness). <c>/readyz</c>: it should be sent calls (readiness), 200 or 503 with the checks.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        app.MapGet("/readyz", async (Readiness readiness, CancellationToken cancellationToken) =>
        {
            var report = await readiness.CheckAsync(cancellationToken);
            return TypedResults.Json(report, HealthJsonContext.Default.ReadinessReport,
                statusCode: report.Status == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
