using System.Threading.RateLimiting;
using CmlCds.Api.Security;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Extensions;

public static partial class SecurityExtensions
{
    public const string RateLimitPolicy = "per-issuer";

    /// <summary>
    /// The trust mode, decided before anything else: without a trusted issuer the service runs open in Development
    /// only; in any other environment it refuses to start, and also when the JWT audience would come from the
    /// request's Host header (no <c>PublicBaseUrl</c> and any host allowed).
    /// </summary>
    public static TrustOptions ReadTrust(this WebApplicationBuilder builder)
    {
        var trust = builder.Configuration.GetSection(TrustOptions.Section).Get<TrustOptions>() ?? new TrustOptions();
        if (builder.Environment.IsDevelopment()) return trust;
        if (trust.Open)
            throw new StartupRefusedException(
                $"No trusted issuer is configured (CdsHooks:Auth:TrustedIssuers) and the environment is '{builder.Environment.EnvironmentName}': " +
                "the service refuses to run open outside Development. Configure at least one trusted issuer.");
        if (string.IsNullOrWhiteSpace(trust.PublicBaseUrl) && builder.Configuration["AllowedHosts"] is null or "" or "*")
            throw new StartupRefusedException(
                $"CdsHooks:Auth:PublicBaseUrl is not set and AllowedHosts is '*' in the '{builder.Environment.EnvironmentName}' environment: " +
                "a JWT's audience would be checked against whatever Host header the caller sends. Set CdsHooks:Auth:PublicBaseUrl " +
                "to the URL the EHRs call (e.g. https://cds.example.org), or AllowedHosts to this service's host names.");
        return trust;
    }

    public static void AddCdsLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LimitsOptions>().Bind(builder.Configuration.GetSection(LimitsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var limits = builder.Configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>() ?? new LimitsOptions();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, http =>
            {
                var partition = RateLimitKey(http);
                var permits = http.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.PermitsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
    }

    /// <summary>
    /// The limiter runs before authentication, so a flood of tokens with a trusted <c>iss</c> and a bad signature is
    /// refused before any signature is verified. Its partition is the issuer the token claims (read without
    /// verifying: no crypto) together with the client address: a forger claiming an EHR's issuer from elsewhere uses
    /// up its own budget, not the EHR's. Without a token: the client address alone.
    /// </summary>
    internal static string RateLimitKey(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return address;
        string? issuer;
        try
        {
            var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(header["Bearer ".Length..].Trim());
            http.Items[CdsAuthentication.ParsedTokenItem] = jwt; // parsed once: authentication reuses it
            issuer = jwt.Issuer;
        }
        catch (ArgumentException)
        {
            issuer = null;
        }
        return $"{address} {issuer ?? "-"}";
    }

    /// <summary>CORS for browser-based CDS clients: configured origins, or any origin in open Development mode.</summary>
    public static void AddCdsCors(this WebApplicationBuilder builder, TrustOptions trust)
    {
        var origins = builder.Configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? [];
        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (trust.Open) p.AllowAnyOrigin();
            else p.WithOrigins([.. origins]);
            p.WithHeaders("Authorization", "Content-Type").WithMethods("GET", "POST", "OPTIONS");
        }));
    }

    /// <summary>Headers for an API that returns PHI: never cached, never framed, never sniffed, no referrer.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        headers.CacheControl = "no-store";
        if (http.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
        await next(http);
    });

    public static void WarnIfOpen(this WebApplication app, TrustOptions trust)
    {
        if (trust.Open) LogOpen(app.Logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "*** OPEN MODE: no trusted issuer configured (CdsHooks:Auth:TrustedIssuers). Any caller is accepted without a JWT, any origin may call, and any http(s) fhirServer may be queried. Development only: the service refuses to start like this in any other environment. ***")]
    private static partial void LogOpen(ILogger log);
}
