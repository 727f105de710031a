using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CmlCds.Api.Storage;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CmlCds.Api.Telemetry;

/// <summary>
/// Configuration section <c>Telemetry</c>: OpenTelemetry traces and metrics, exported by OTLP (HTTP, protobuf) to
/// <see cref="OtlpEndpoint"/>. Off when it is not set (the default).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The collector's OTLP/HTTP base URL, e.g. <c>http://otel-collector:4318</c> (<c>/v1/traces</c>, <c>/v1/metrics</c> are added).</summary>
    [Url]
    public string? OtlpEndpoint { get; set; }

    [Range(100, 3_600_000)]
    public int MetricExportIntervalMs { get; set; } = 60_000;

    [Range(10, 60_000)]
    public int TraceExportDelayMs { get; set; } = 5_000;
}

/// <summary>
/// The service's spans and metrics. No attribute carries PHI, a token or a FHIR URL: spans name the service, the hook,
/// card topics and rule ids, stage timings, and for a FHIR query only its resource type and outcome.
/// <list type="bullet">
/// <item>spans: <c>patient-view</c> (one hook call, under ASP.NET Core's request span) with children <c>resolve</c> and
/// <c>evaluate</c> (from the handler's own stage timings) and one <c>fhir.query</c> per FHIR-server query;</item>
/// <item>metrics: <c>cmlcds.hook.calls</c> (by status), <c>cmlcds.cards</c> (by topic and indicator),
/// <c>cmlcds.hook.stage.duration</c> (by stage), <c>cmlcds.fhir.query.duration</c> and <c>cmlcds.fhir.query.failures</c>
/// (by resource type), <c>cmlcds.jwt.refusals</c> (by reason), <c>cmlcds.audit.queue.depth</c>; with ASP.NET Core's
/// own HTTP server metrics.</item>
/// </list>
/// </summary>
public static class CdsTelemetry
{
    public const string Name = "CmlCds";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("cmlcds.hook.calls", "{call}", "Hook calls answered, by HTTP status");
    private static readonly Counter<long> Cards = Meter.CreateCounter<long>("cmlcds.cards", "{card}", "Cards returned, by topic and indicator");
    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("cmlcds.hook.stage.duration", "s", "Duration of a hook call's stages (resolve, evaluate)");
    private static readonly Histogram<double> FhirDuration = Meter.CreateHistogram<double>("cmlcds.fhir.query.duration", "s", "Duration of FHIR-server queries, all pages, by resource type and outcome");
    private static readonly Counter<long> FhirFailures = Meter.CreateCounter<long>("cmlcds.fhir.query.failures", "{query}", "FHIR-server queries that failed, by resource type");
    private static readonly Counter<long> JwtRefusals = Meter.CreateCounter<long>("cmlcds.jwt.refusals", "{token}", "JWTs refused, by reason");

    public static void JwtRefused(string reason) => JwtRefusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static Activity? StartHook(string serviceId) =>
        Source.StartActivity("patient-view", ActivityKind.Internal, default(ActivityContext),
            [new("cds.service", serviceId), new("cds.hook", "patient-view")]);

    /// <summary>One hook call's outcome: status, cards, stage spans and durations.</summary>
    public static void HookAnswered(Activity? span, int status, DateTimeOffset handlerStarted, HookOutcome? outcome)
    {
        Calls.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));
        span?.SetTag("http.response.status_code", status);
        if (outcome is null)
        {
            if (status >= 400) span?.SetStatus(ActivityStatusCode.Error);
            return;
        }
        StageDuration.Record(outcome.Resolve.TotalSeconds, new KeyValuePair<string, object?>("stage", "resolve"));
        StageDuration.Record(outcome.Evaluate.TotalSeconds, new KeyValuePair<string, object?>("stage", "evaluate"));
        foreach (var card in outcome.Cards)
            Cards.Add(1, new KeyValuePair<string, object?>("topic", card.Topic), new KeyValuePair<string, object?>("indicator", card.Indicator.ToString().ToLowerInvariant()));
        if (span is null) return;
        span.SetTag("cds.cards", outcome.Cards.Count);
        span.SetTag("cds.rule_ids", string.Join(",", outcome.RuleIds));
        var resolveEnd = handlerStarted + outcome.Resolve;
        Stage(span, "resolve", handlerStarted, resolveEnd, outcome.Sources.Count);
        Stage(span, "evaluate", resolveEnd, resolveEnd + outcome.Evaluate, null);
    }

    private static void Stage(Activity parent, string name, DateTimeOffset start, DateTimeOffset end, int? keys)
    {
        using var stage = Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: start);
        if (stage is null) return;
        if (keys is { } k) stage.SetTag("cds.prefetch_keys", k);
        stage.SetEndTime(end.UtcDateTime);
    }

    /// <summary>The resource type a FHIR query asks for (<c>Observation?patient=...</c> → <c>Observation</c>): the only part of the URL told.</summary>
    public static string ResourceType(string query)
    {
        var path = query.AsSpan();
        var cut = path.IndexOfAny('?', '/');
        if (cut >= 0) path = path[..cut];
        foreach (var c in path)
            if (!char.IsAsciiLetter(c)) return "other";
        return path.Length is > 0 and <= 64 ? path.ToString() : "other";
    }

    internal static Activity? StartFhirQuery(string resourceType) =>
        Source.StartActivity("fhir.query", ActivityKind.Client, default(ActivityContext), [new("fhir.resource_type", resourceType)]);

    internal static void FhirQueryDone(Activity? span, string resourceType, TimeSpan elapsed, FhirQueryResult? result)
    {
        var outcome = result is { Error: null } ? "ok" : "failed";
        FhirDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("fhir.resource_type", resourceType), new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "failed") FhirFailures.Add(1, new KeyValuePair<string, object?>("fhir.resource_type", resourceType));
        if (span is null) return;
        span.SetTag("outcome", outcome);
        if (result is not null)
        {
            span.SetTag("fhir.pages", result.Pages);
            span.SetTag("fhir.resources", result.Resources.Count);
        }
        if (outcome == "failed") span.SetStatus(ActivityStatusCode.Error);
    }

    public static void AddCmlCdsTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddHostedService<AuditQueueGauge>();
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint)) return;
        var endpoint = options.OtlpEndpoint.TrimEnd('/');
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cml-cds"))
            .WithTracing(t => t
                .AddSource(Name)
                // Probes are not calls; nothing else of the request (query, headers, body) is recorded.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/healthz") && !http.Request.Path.StartsWithSegments("/readyz"))
                .AddOtlpExporter(o =>
                {
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = new Uri(endpoint + "/v1/traces");
                    o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = options.TraceExportDelayMs;
                }))
            .WithMetrics(m => m
                .AddMeter(Name)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter((o, reader) =>
                {
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = new Uri(endpoint + "/v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.MetricExportIntervalMs;
                }));
    }
}

/// <summary>Each FHIR-server query as a span and in the duration and failure metrics; the query text itself is never recorded.</summary>
public sealed class InstrumentedFhirQueryRunner(IFhirQueryRunner inner) : IFhirQueryRunner
{
    public Task<FhirQueryResult> RunAsync(HookRequest request, string query, CancellationToken cancellationToken) =>
        Measure(CdsTelemetry.ResourceType(query), () => inner.RunAsync(request, query, cancellationToken));

    public Task<FhirQueryResult> ContinueAsync(HookRequest request, string nextUrl, CancellationToken cancellationToken) =>
        Measure("next-page", () => inner.ContinueAsync(request, nextUrl, cancellationToken));

    public IDisposable BeginCall(HookRequest request) => inner.BeginCall(request);

    private static async Task<FhirQueryResult> Measure(string resourceType, Func<Task<FhirQueryResult>> run)
    {
        using var span = CdsTelemetry.StartFhirQuery(resourceType);
        var started = Stopwatch.GetTimestamp();
        FhirQueryResult? result = null;
        try
        {
            result = await run().ConfigureAwait(false);
            return result;
        }
        finally
        {
            CdsTelemetry.FhirQueryDone(span, resourceType, Stopwatch.GetElapsedTime(started), result);
        }
    }
}

/// <summary>
/// <c>cmlcds.audit.queue.depth</c>: the audit queue's depth, observed at each export. Its meter comes from the host's
/// meter factory, so it ends with the host (tests start many hosts in one process).
/// </summary>
public sealed class AuditQueueGauge(IMeterFactory meters, AuditWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        meters.Create(CdsTelemetry.Name).CreateObservableGauge("cmlcds.audit.queue.depth", () => writer.QueueDepth, "{record}", "Audit records waiting to be written");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
