using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CmlCds.Api.Extensions;
using CmlCds.Api.Security;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Apis;

/// <summary>The CDS Hooks 2.0 endpoints: discovery and the patient-view service.</summary>
public static partial class CdsHooksApi
{
    /// <summary>Every CDS Hooks endpoint requires a trusted client's JWT (none in open Development mode) and is rate-limited per issuer.</summary>
    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        var services = app.MapGroup("/cds-services")
            .RequireAuthorization(CdsAuthentication.Policy)
            .RequireRateLimiting(SecurityExtensions.RateLimitPolicy);
        services.MapGet("", GetDiscovery);
        services.MapPost("/{id}", CallService);
        return app;
    }

    /// <summary>GET {baseUrl}/cds-services: the services this provider offers.</summary>
    public static JsonHttpResult<DiscoveryResponse> GetDiscovery() =>
        TypedResults.Json(CmlMonitoringService.Discovery, CdsHooksJson.Discovery);

    /// <summary>POST {baseUrl}/cds-services/{id}: evaluate one hook call.</summary>
    public static async Task<Results<JsonHttpResult<CdsResponse>, ProblemHttpResult>> CallService(
        string id, HttpRequest http, HookHandler handler, ILoggerFactory loggers, IOptions<LimitsOptions> limits, CancellationToken cancellationToken)
    {
        if (id != CmlMonitoringService.Id)
            return Problem(StatusCodes.Status404NotFound, "Unknown service", $"No CDS service '{id}'. GET /cds-services lists the services.");

        HookRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Body, CdsHooksJson.RequestInfo(limits.Value.MaxJsonDepth), cancellationToken);
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid JSON", JsonErrorText(e));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is over the {limits.Value.MaxRequestBodyBytes}-byte limit.");
        }
        if (request is null)
            return Problem(StatusCodes.Status400BadRequest, "Invalid request", "The body must be a CDS Hooks request object.");

        var log = loggers.CreateLogger("CmlCds.Hooks");
        try
        {
            var policy = FhirServerPolicyFor(http.HttpContext, log, request);
            var outcome = await handler.HandleAsync(request, policy, cancellationToken);
            LogCall(log, request.HookInstance, id, PatientKey(request.ContextValue("patientId")), outcome.Resolve.TotalMilliseconds,
                outcome.Evaluate.TotalMilliseconds, outcome.Response.Cards.Count, string.Join(",", outcome.RuleIds));
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
            LogServerRefused(log, request.HookInstance, id);
            return Problem(StatusCodes.Status412PreconditionFailed, "FHIR server not allowed", e.Message);
        }
        catch (PrefetchUnavailableException e)
        {
            LogPrecondition(log, request.HookInstance, id, e.Missing.Count);
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
        if (http.Items[CdsAuthentication.IssuerItem] is TrustedIssuer issuer) return FhirServerPolicy.Only(issuer.FhirServers);
        if (request.FhirServer is not null && Uri.TryCreate(request.FhirServer, UriKind.Absolute, out var server))
            LogOpenFhirServer(log, request.HookInstance, server.Host);
        return FhirServerPolicy.Any;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>The parser's message names the path and position; the inner exception text is never sent.</summary>
    private static string JsonErrorText(JsonException e) =>
        $"The body is not a valid CDS Hooks request: {e.Message}" + (e.Path is null ? "" : $" (at {e.Path})");

    /// <summary>A short one-way hash of the patient id, so logs can correlate calls without naming the patient.</summary>
    internal static string PatientKey(string? patientId)
    {
        if (patientId is null) return "-";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(patientId), hash);
        return Convert.ToHexStringLower(hash[..6]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "hook {HookInstance} service {ServiceId} patient {PatientKey}: resolve {ResolveMs:0.0} ms, evaluate {EvaluateMs:0.0} ms, {CardCount} cards, rules [{RuleIds}]")]
    private static partial void LogCall(ILogger log, string? hookInstance, string serviceId, string patientKey, double resolveMs, double evaluateMs, int cardCount, string ruleIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook {HookInstance} service {ServiceId}: 412, fhirServer not allowed for the calling issuer; nothing sent to it")]
    private static partial void LogServerRefused(ILogger log, string? hookInstance, string serviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook {HookInstance}: OPEN MODE, fhirServer host {Host} may be queried without an allow-list")]
    private static partial void LogOpenFhirServer(ILogger log, string? hookInstance, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook {HookInstance} service {ServiceId}: 412, {MissingCount} required prefetch keys unavailable")]
    private static partial void LogPrecondition(ILogger log, string? hookInstance, string serviceId, int missingCount);
}
