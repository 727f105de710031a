using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Diagnostics;
using System.Reflection;
using CmlCds.Api.Chart;
using CmlCds.Api.Extensions;
using CmlCds.Api.Security;
using CmlCds.Clinical.Evaluation;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Apis;

/// <summary>Configuration section <c>Chart</c>: the response chart's SMART app.</summary>
public sealed class ChartOptions
{
    public const string Section = "Chart";

    /// <summary>The launch URL put on the cards' <c>smart</c> link; default: <c>CdsHooks:Auth:PublicBaseUrl</c> + <c>/chart/</c>.</summary>
    public string? LaunchUrl { get; set; }

    /// <summary>The OAuth client id the app presents to an EHR's authorization server (registered there).</summary>
    public string ClientId { get; set; } = "cmlcds-response-chart";

    /// <summary>Origins that may frame the app (the EHRs); default: <c>Cors:AllowedOrigins</c>; any in open Development mode.</summary>
    public List<string> FrameAncestors { get; set; } = [];
}

/// <summary>What the page reads before it launches: the service's own prefetch queries, the scopes and the client id.</summary>
public sealed record ChartQuery(string Key, string Query, bool Required);

public sealed record ChartConfig(string ClientId, string Scope, IReadOnlyList<ChartQuery> Queries);

/// <summary>
/// The response chart (issue 20): a SMART on FHIR app served at <c>/chart/</c> from files built into this assembly,
/// <c>GET /chart/config</c> (the prefetch queries it runs, so the page reads what a hook call reads), and
/// <c>POST /chart/evaluate</c>, which evaluates the resources the page read with the same clinical core as the hook.
/// <para><b>How <c>/chart/evaluate</c> is protected.</b> It is stateless: it stores nothing, queries no FHIR server
/// (any <c>fhirServer</c> in the body is ignored), logs counts and timings only, and answers only with the evaluation
/// of what the caller itself sent, so it discloses nothing the caller did not have. It is meant for the page it is
/// served with, same-origin: it is outside CORS (no other origin's script may read its answers), it refuses a
/// request whose <c>Origin</c> is not this service's or that the browser marks <c>Sec-Fetch-Site: cross-site</c>
/// (403), and it takes only <c>application/json</c>, which a cross-origin page cannot send without a preflight
/// that fails. It is bounded like the hook endpoint: the body limit (413), the JSON depth (400) and the per-client
/// rate limit (429). It takes no JWT: the page holds the EHR's access token for the FHIR server, not a CDS client's
/// signed JWT, and the service never receives that token.</para>
/// </summary>
public static partial class ChartApi
{
    private const string ResourcePrefix = "chart/";

    /// <summary>The SMART scopes the app asks for: read access to what the prefetch reads, and the patient in context.</summary>
    public const string Scope = "launch launch/patient openid fhirUser patient/Patient.read patient/Observation.read patient/MedicationRequest.read " +
        "patient/MedicationStatement.read patient/MedicationDispense.read patient/Condition.read patient/ServiceRequest.read";

    /// <summary>The card renderer with the chart's launch URL (replaces the one without: the last registration wins).</summary>
    public static void AddChart(this WebApplicationBuilder builder, TrustOptions trust)
    {
        builder.Services.AddOptions<ChartOptions>().Bind(builder.Configuration.GetSection(ChartOptions.Section));
        var options = builder.Configuration.GetSection(ChartOptions.Section).Get<ChartOptions>() ?? new ChartOptions();
        var launch = LaunchUrl(options, trust, builder.Configuration["urls"], builder.Environment.IsDevelopment());
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new CardRenderer(sp.GetRequiredService<ICardIds>()) { ChartLaunchUrl = launch }));
        builder.Services.AddSingleton(new ChartOrigins([.. new[] { trust.PublicBaseUrl, launch }.OfType<string>().Select(OriginOf).OfType<string>()]));
    }

    private static string? OriginOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>
    /// Origins the chart page is served from besides the request's own Host: the public base URL's and the launch URL's,
    /// so a page behind a proxy or TLS terminator (which changes the scheme, host or port the service sees) may still post.
    /// </summary>
    public sealed record ChartOrigins(IReadOnlyList<string> Allowed);

    /// <summary>
    /// <c>Chart:LaunchUrl</c>; else the public base URL + <c>/chart/</c>; else (Development) the address the service
    /// listens on, or <see cref="CardRenderer.DefaultChartLaunchUrl"/> when that is no fixed address (port 0, a
    /// wildcard host). Outside Development without a public base URL: no link (it would name a host nobody can reach).
    /// </summary>
    internal static string? LaunchUrl(ChartOptions options, TrustOptions trust, string? urls, bool development)
    {
        if (!string.IsNullOrWhiteSpace(options.LaunchUrl))
        {
            if (!Uri.TryCreate(options.LaunchUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new StartupRefusedException($"Chart:LaunchUrl '{options.LaunchUrl}' is not an absolute http(s) URL. Set it to where the service serves /chart/, e.g. https://cds.example.org/chart/.");
            return url.AbsoluteUri;
        }
        if (!string.IsNullOrWhiteSpace(trust.PublicBaseUrl)) return trust.PublicBaseUrl.TrimEnd('/') + "/chart/";
        if (!development) return null;
        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is not null && Uri.TryCreate(first.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var listen)
            && listen.Port > 0 && listen.Host is not ("wildcard" or "0.0.0.0" or "[::]"))
            return $"{listen.Scheme}://{listen.Authority}/chart/";
        return CardRenderer.DefaultChartLaunchUrl;
    }

    public static IEndpointRouteBuilder MapChart(this IEndpointRouteBuilder app, TrustOptions trust)
    {
        var frameAncestors = FrameAncestors(app.ServiceProvider, trust);
        var chart = app.MapGroup("/chart").WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute());
        // "/chart" and "/chart/" route alike: the page is served at the folder's URL (its assets are relative to it).
        chart.MapGet("", (HttpContext http) => http.Request.Path.Value!.EndsWith('/')
            ? File(null, http, frameAncestors) : Results.Redirect("/chart/" + http.Request.QueryString));
        chart.MapGet("/config", (IOptions<ChartOptions> options) => Results.Ok(new ChartConfig(options.Value.ClientId, Scope,
            CmlMonitoringService.PrefetchKeys.Select(k => new ChartQuery(k.Key, k.Template, k.Required)).ToList())));
        chart.MapPost("/evaluate", Evaluate).RequireRateLimiting(SecurityExtensions.RateLimitPolicy);
        chart.MapGet("/{**path}", (string? path, HttpContext http) => File(path, http, frameAncestors));
        return app;
    }

    private static string FrameAncestors(IServiceProvider services, TrustOptions trust)
    {
        var configured = services.GetRequiredService<IOptions<ChartOptions>>().Value.FrameAncestors;
        var origins = configured.Count > 0 ? configured : services.GetRequiredService<IConfiguration>().GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? [];
        return trust.Open ? "*" : string.Join(' ', ["'self'", .. origins]);
    }

    /// <summary>
    /// The built page: index.html for the folder, else the file of that name (long-cached: its name carries its hash).
    /// The page may be framed by the EHRs (frame-ancestors) and may call any FHIR server (connect-src), nothing else.
    /// </summary>
    private static IResult File(string? path, HttpContext http, string frameAncestors)
    {
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        var stream = typeof(ChartApi).Assembly.GetManifestResourceStream(ResourcePrefix + name);
        if (stream is null) return TypedResults.NotFound();
        var headers = http.Response.Headers;
        headers.Remove("X-Frame-Options");
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; " +
            $"base-uri 'none'; form-action 'none'; frame-ancestors {frameAncestors}";
        if (name.StartsWith("assets/", StringComparison.Ordinal)) headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.Stream(stream, ContentType(name));
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };

    /// <summary>The files of the built page, as the assembly holds them (for tests).</summary>
    public static IReadOnlyList<string> Files() => typeof(ChartApi).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Select(n => n[ResourcePrefix.Length..]).Order(StringComparer.Ordinal).ToList();

    /// <summary>POST /chart/evaluate: <c>{"context": {"patientId": ...}, "prefetch": {...}}</c>, the prefetch keys as a hook call carries them.</summary>
    public static async Task<Results<JsonHttpResult<ChartEvaluation>, ProblemHttpResult>> Evaluate(HttpRequest http, CardRenderer renderer,
        EvaluationSettings settings, TimeProvider clock, IOptions<LimitsOptions> limits, ILoggerFactory loggers, ChartOrigins origins, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (CrossOrigin(http, origins) is { } refused) return refused;
        if (!(http.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the resources as application/json.");
        var (request, unreadable) = await CdsHooksApi.ReadBodyAsync(http, CdsHooksJson.RequestInfo(limits.Value.MaxJsonDepth), "a chart request", limits.Value, cancellationToken);
        if (unreadable is not null) return unreadable;
        if (request is null) return Problem(StatusCodes.Status400BadRequest, "Invalid request", "The body must be an object with 'context' and 'prefetch'.");
        // Only the resources sent: the chart endpoint never queries a FHIR server.
        request.Hook ??= CmlMonitoringService.Hook;
        request.HookInstance ??= "chart";
        request.FhirServer = null;
        request.FhirAuthorization = null;
        try
        {
            HookHandler.Validate(request);
            var data = await new PrefetchResolver(null).ResolveAsync(request, cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var history = PatientHistoryMapper.Map(data.Resources, today, data.Notes, data.UnreadKeys);
            var evaluation = CmlEvaluator.Evaluate(history, settings, today);
            var cards = renderer.Render(evaluation, new CardContext(request.ContextValue("patientId")!, data.Resources));
            var chart = ChartEvaluations.Build(history, evaluation, cards, settings, today);
            LogEvaluated(loggers.CreateLogger("CmlCds.Chart"), data.Resources.Count, chart.Results.Count, cards.Cards.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return TypedResults.Json(chart, ChartJson.Options);
        }
        catch (InvalidHookRequestException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Title, e.Message);
        }
        catch (PrefetchUnavailableException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Required data missing", $"Send every required key ({e.Message.TrimEnd('.')}); a key the FHIR server had nothing for is sent as null.");
        }
    }

    /// <summary>A browser request from another site: refused before the body is read.</summary>
    private static ProblemHttpResult? CrossOrigin(HttpRequest http, ChartOrigins origins)
    {
        if (http.Headers["Sec-Fetch-Site"].ToString() == "cross-site")
            return Problem(StatusCodes.Status403Forbidden, "Cross-origin request", "The chart evaluation answers the page served with it only.");
        var origin = http.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{http.Scheme}://{http.Host}", StringComparison.OrdinalIgnoreCase)
            && !origins.Allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
            return Problem(StatusCodes.Status403Forbidden, "Cross-origin request", "The chart evaluation answers the page served with it only.");
        return null;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail: detail, statusCode: status, title: title);

    [LoggerMessage(Level = LogLevel.Information, Message = "chart evaluate: {Resources} resources, {Results} results, {Cards} cards, {ElapsedMs:0.0} ms")]
    private static partial void LogEvaluated(ILogger log, int resources, int results, int cards, double elapsedMs);
}

internal static class ChartJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };
}
