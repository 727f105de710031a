using System.Text.Json;
using CmlCds.Api.Extensions;
using CmlCds.Api.Security;
using CmlCds.Api.Storage;
using CmlCds.Api.Telemetry;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Apis;

/// <summary>What a feedback post stored: how many items it held and how many were new.</summary>
public sealed record FeedbackReceipt(int Received, int Stored);

/// <summary>The CDS Hooks 2.0 endpoints: discovery, the patient-view service and its feedback.</summary>
public static partial class CdsHooksApi
{
    private const string LogCategory = "CmlCds.Hooks";

    /// <summary>Every CDS Hooks endpoint requires a trusted client's JWT (none in open Development mode) and is rate-limited per issuer.</summary>
    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        var services = app.MapGroup("/cds-services")
            .RequireAuthorization(CdsAuthentication.Policy)
            .RequireRateLimiting(SecurityExtensions.RateLimitPolicy);
        services.MapGet("", GetDiscovery);
        services.MapPost("/{id}", CallService);
        services.MapPost("/{id}/feedback", PostFeedback);
        return app;
    }

    /// <summary>GET {baseUrl}/cds-services: the services this provider offers.</summary>
    public static JsonHttpResult<DiscoveryResponse> GetDiscovery() =>
        TypedResults.Json(CmlMonitoringService.Discovery, CdsHooksJson.Discovery);

    /// <summary>POST {baseUrl}/cds-services/{id}: evaluate one hook call (a span and metrics when telemetry is on).</summary>
    public static async Task<Results<JsonHttpResult<CdsResponse>, ProblemHttpResult>> CallService(
        string id, HttpRequest http, HookHandler handler, ILoggerFactory loggers, IOptions<LimitsOptions> limits,
        AuditWriter audit, PatientKeys patients, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var span = CdsTelemetry.StartHook(id == CmlMonitoringService.Id ? id : "unknown"); // a request value: never exported as sent
        var observed = new Observed();
        var result = await HandleCallAsync(id, http, handler, loggers, limits, audit, patients, clock, observed, cancellationToken);
        CdsTelemetry.HookAnswered(span, result.Result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK,
            observed.HandlerStarted, observed.Outcome);
        return result;
    }

    /// <summary>What telemetry reports of a call: when the handler started (wall clock) and its outcome.</summary>
    private sealed class Observed
    {
        public DateTimeOffset HandlerStarted;
        public HookOutcome? Outcome;
    }

    private static async Task<Results<JsonHttpResult<CdsResponse>, ProblemHttpResult>> HandleCallAsync(
        string id, HttpRequest http, HookHandler handler, ILoggerFactory loggers, IOptions<LimitsOptions> limits,
        AuditWriter audit, PatientKeys patients, TimeProvider clock, Observed observed, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        if (id != CmlMonitoringService.Id)
            return Problem(StatusCodes.Status404NotFound, "Unknown service", $"No CDS service '{id}'. GET /cds-services lists the services.");

        var (request, unreadable) = await ReadBodyAsync(http, CdsHooksJson.RequestInfo(limits.Value.MaxJsonDepth), "a valid CDS Hooks request", limits.Value, cancellationToken);
        if (unreadable is not null) return unreadable;
        if (request is null)
            return Problem(StatusCodes.Status400BadRequest, "Invalid request", "The body must be a CDS Hooks request object.");

        var log = loggers.CreateLogger(LogCategory);
        try
        {
            var policy = FhirServerPolicyFor(http.HttpContext, log, request);
            observed.HandlerStarted = DateTimeOffset.UtcNow;
            var outcome = await handler.HandleAsync(request, policy, cancellationToken);
            observed.Outcome = outcome;
            var patientKey = patients.For(request.ContextValue("patientId"));
            LogSources(log, LogValues.Escape(request.HookInstance), outcome.Sources);
            if (log.IsEnabled(LogLevel.Information))
                LogCall(log, LogValues.Escape(request.HookInstance), id, patientKey, outcome.Resolve.TotalMilliseconds,
                    outcome.Evaluate.TotalMilliseconds, outcome.Response.Cards.Count, string.Join(",", outcome.RuleIds));
            if (!await audit.RecordAsync(Audit(http.HttpContext, request, id, patientKey, StatusCodes.Status200OK, clock, started, outcome)))
                return Problem(StatusCodes.Status503ServiceUnavailable, "Audit unavailable",
                    "The call's audit could not be written (Storage:AuditDurability is Synchronous), so no cards are given. Try again.");
            return TypedResults.Json(outcome.Response, CdsHooksJson.Response);
        }
        catch (InvalidHookRequestException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Title, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Problem(499, "Client closed request", "The CDS client closed the connection before the answer.");
        }
        catch (FhirServerNotAllowedException e)
        {
            LogServerRefused(log, LogValues.Escape(request.HookInstance), id);
            await audit.RecordAsync(Audit(http.HttpContext, request, id, patients.For(request.ContextValue("patientId")), StatusCodes.Status412PreconditionFailed, clock, started, null));
            return Problem(StatusCodes.Status412PreconditionFailed, "FHIR server not allowed", e.Message);
        }
        catch (PrefetchUnavailableException e)
        {
            LogSources(log, LogValues.Escape(request.HookInstance), e.Sources);
            LogPrecondition(log, LogValues.Escape(request.HookInstance), id, e.Missing.Count);
            await audit.RecordAsync(Audit(http.HttpContext, request, id, patients.For(request.ContextValue("patientId")), StatusCodes.Status412PreconditionFailed, clock, started, null));
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "Required data unavailable",
                Detail = e.Message,
                Extensions = { ["missing"] = e.Missing },
            });
        }
    }

    /// <summary>The calling issuer's FHIR servers; any http(s) server in open Development mode, said in the log each time.</summary>
    private static FhirServerPolicy FhirServerPolicyFor(HttpContext http, ILogger log, HookRequest request)
    {
        if (http.Items[CdsAuthentication.IssuerItem] is TrustedIssuer issuer) return issuer.FhirServerPolicy;
        if (request.FhirServer is not null && Uri.TryCreate(request.FhirServer, UriKind.Absolute, out var server))
            LogOpenFhirServer(log, LogValues.Escape(request.HookInstance), LogValues.Escape(server.Host));
        return FhirServerPolicy.Any;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>
    /// Reads a JSON body. Every way a body can be bad is the client's fault and a 4xx: invalid JSON (the parser's
    /// message names the path and position; no inner exception text), text that is not Unicode, a body over the
    /// limit (413), or a body that never arrives whole (bad chunked encoding, a Content-Length longer than what came).
    /// </summary>
    internal static async Task<(T? Value, ProblemHttpResult? Problem)> ReadBodyAsync<T>(HttpRequest http, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info,
        string what, LimitsOptions limits, CancellationToken cancellationToken)
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync(http.Body, info, cancellationToken), null);
        }
        catch (JsonException e)
        {
            return (default, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", $"The body is not {what}: {e.Message}" + (e.Path is null ? "" : $" (at {e.Path})")));
        }
        catch (InvalidOperationException) // a string the reader cannot turn into text (a lone surrogate escaped in JSON)
        {
            return (default, Problem(StatusCodes.Status400BadRequest, "Invalid JSON", $"The body is not {what}: a string holds invalid Unicode (a lone surrogate)."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is over the {limits.MaxRequestBodyBytes}-byte limit."));
        }
        catch (BadHttpRequestException)
        {
            return (default, Problem(StatusCodes.Status400BadRequest, "Unreadable body", "The request body did not arrive whole (its length or chunked encoding is wrong)."));
        }
    }

    private static AuditRecord Audit(HttpContext http, HookRequest request, string serviceId, string patientKey, int status, TimeProvider clock,
        long started, HookOutcome? outcome) => new(
            Guid.NewGuid().ToString("D"), request.HookInstance ?? "", serviceId, clock.GetUtcNow(),
            http.User.FindFirst("iss")?.Value, http.User.FindFirst("tenant")?.Value, patientKey, status,
            outcome?.Resolve.TotalMilliseconds, outcome?.Evaluate.TotalMilliseconds, clock.GetElapsedTime(started).TotalMilliseconds,
            outcome?.Cards ?? []);

    /// <summary>
    /// POST {baseUrl}/cds-services/{id}/feedback (CDS Hooks 2.0 §Feedback): validated whole, stored in one transaction,
    /// 200 only once committed; an item already stored is not stored again.
    /// </summary>
    public static async Task<Results<Ok<FeedbackReceipt>, ProblemHttpResult>> PostFeedback(
        string id, HttpRequest http, FeedbackStore store, ILoggerFactory loggers, IOptions<LimitsOptions> limits, CancellationToken cancellationToken)
    {
        if (id != CmlMonitoringService.Id)
            return Problem(StatusCodes.Status404NotFound, "Unknown service", $"No CDS service '{id}'. GET /cds-services lists the services.");
        var (request, unreadable) = await ReadBodyAsync(http, CdsHooksJson.Feedback, "a feedback request", limits.Value, cancellationToken);
        if (unreadable is not null) return unreadable;
        var (items, errors) = FeedbackValidator.Validate(request);
        if (errors.Count > 0)
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Invalid feedback",
                Detail = $"{errors.Count} problem(s); nothing was stored.",
                Extensions = { ["errors"] = errors },
            });
        var stored = await store.SaveAsync(items, http.HttpContext.User.FindFirst("iss")?.Value, cancellationToken);
        LogFeedback(loggers.CreateLogger("CmlCds.Feedback"), id, items.Count, stored);
        return TypedResults.Ok(new FeedbackReceipt(items.Count, stored));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "hook {HookInstance} service {ServiceId} patient {PatientKey}: resolve {ResolveMs:0.0} ms, evaluate {EvaluateMs:0.0} ms, {CardCount} cards, rules [{RuleIds}]")]
    private static partial void LogCall(ILogger log, string? hookInstance, string serviceId, string patientKey, double resolveMs, double evaluateMs, int cardCount, string ruleIds);

    /// <summary>Where each prefetch key's data came from: so an informaticist sees the fallback at work (counts only, no PHI).</summary>
    private static void LogSources(ILogger log, string? hookInstance, IReadOnlyList<KeySource> sources)
    {
        if (!log.IsEnabled(LogLevel.Information)) return;
        foreach (var s in sources) LogSource(log, hookInstance, s.Key, s.Source, s.Entries, s.Pages, s.Milliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "hook {HookInstance} prefetch {PrefetchKey}: {Source}, {Entries} entries, {Pages} pages, {FetchMs:0.0} ms")]
    private static partial void LogSource(ILogger log, string? hookInstance, string prefetchKey, string source, int entries, int pages, double fetchMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "feedback for {ServiceId}: {Items} items, {Stored} new")]
    private static partial void LogFeedback(ILogger log, string serviceId, int items, int stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook {HookInstance} service {ServiceId}: 412, fhirServer not allowed for the calling issuer; nothing sent to it")]
    private static partial void LogServerRefused(ILogger log, string? hookInstance, string serviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook {HookInstance}: OPEN MODE, fhirServer host {Host} may be queried without an allow-list")]
    private static partial void LogOpenFhirServer(ILogger log, string? hookInstance, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook {HookInstance} service {ServiceId}: 412, {MissingCount} required prefetch keys unavailable")]
    private static partial void LogPrecondition(ILogger log, string? hookInstance, string serviceId, int missingCount);
}
