using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CmlCds.Api.Apis;

/// <summary>The CDS Hooks 2.0 endpoints: discovery and the patient-view service.</summary>
public static partial class CdsHooksApi
{
    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cds-services", GetDiscovery);
        app.MapPost("/cds-services/{id}", CallService);
        return app;
    }

    /// <summary>GET {baseUrl}/cds-services: the services this provider offers.</summary>
    public static JsonHttpResult<DiscoveryResponse> GetDiscovery() =>
        TypedResults.Json(CmlMonitoringService.Discovery, CdsHooksJson.Discovery);

    /// <summary>POST {baseUrl}/cds-services/{id}: evaluate one hook call.</summary>
    public static async Task<Results<JsonHttpResult<CdsResponse>, ProblemHttpResult>> CallService(
        string id, HttpRequest http, HookHandler handler, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (id != CmlMonitoringService.Id)
            return Problem(StatusCodes.Status404NotFound, "Unknown service", $"No CDS service '{id}'. GET /cds-services lists the services.");

        HookRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Body, CdsHooksJson.HookRequest, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid JSON", JsonErrorText(e));
        }
        if (request is null)
            return Problem(StatusCodes.Status400BadRequest, "Invalid request", "The body must be a CDS Hooks request object.");

        var log = loggers.CreateLogger("CmlCds.Hooks");
        try
        {
            var outcome = await handler.HandleAsync(request, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook {HookInstance} service {ServiceId}: 412, {MissingCount} required prefetch keys unavailable")]
    private static partial void LogPrecondition(ILogger log, string? hookInstance, string serviceId, int missingCount);
}
