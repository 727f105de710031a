using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CmlCds.Api.Security;

/// <summary>
/// JWT bearer authentication of CDS clients (CDS Hooks 2.0 §Trusting CDS Clients):
/// <list type="bullet">
/// <item><c>iss</c> must be a configured trusted issuer; its keys come from the <c>jku</c> header only when that URL is
/// allow-listed for the issuer (from its JwksFile first when one is configured: pinned keys, no fetch), else from its
/// JwksUri or JwksFile;</item>
/// <item>asymmetric algorithms only (ES*, RS*, PS*): <c>none</c> and HS* are refused, so an HS256 token "signed" with a
/// public key fails too;</item>
/// <item><c>aud</c> (string or array) must be the URL of the endpoint actually called, from
/// <see cref="TrustOptions.PublicBaseUrl"/> when set;</item>
/// <item>before any key is fetched or signature verified, <see cref="TokenChecks"/>: <c>crit</c>, NumericDate types,
/// <c>iat</c> not in the future, lifetime capped; a key is used only for the <c>alg</c> (and curve) it fits;</item>
/// <item><c>exp</c>, <c>iat</c> and <c>jti</c> required, <c>nbf</c> honoured, 5 minutes skew, other claims tolerated;
/// a <c>jti</c> seen before within the token's lifetime is a replay; <c>tenant</c> checked when the issuer lists tenants.</item>
/// </list>
/// A failure is a bare 401 (no body, no reason); the reason is logged, never the token.
/// </summary>
public static partial class CdsAuthentication
{
    public const string Policy = "cds-client";
    public const string IssuerItem = "cmlcds.trusted-issuer";
    private const string KeysItem = "cmlcds.signing-keys";
    /// <summary>The request's token, parsed once (by the rate limiter, else on arrival) and reused by every later step.</summary>
    internal const string ParsedTokenItem = "cmlcds.parsed-token";

    public static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    public static void AddCdsAuthentication(this WebApplicationBuilder builder, TrustOptions trust)
    {
        builder.Services.AddOptions<TrustOptions>().Bind(builder.Configuration.GetSection(TrustOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient(JwksCache.HttpClientName);
        builder.Services.AddSingleton<JwksCache>();
        builder.Services.AddSingleton<JtiReplayCache>();
        builder.Services.AddSingleton<IReplayGuard>(sp => sp.GetRequiredService<JtiReplayCache>()); // PostgreSQL storage replaces it

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpContextAccessor, IOptions<TrustOptions>>((o, accessor, trustOptions) => Configure(o, accessor, trustOptions.Value));

        builder.Services.AddAuthorization(o => o.AddPolicy(Policy, p =>
        {
            if (trust.Open) p.RequireAssertion(_ => true);
            else p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser();
        }));
    }

    private static void Configure(JwtBearerOptions o, IHttpContextAccessor accessor, TrustOptions trust)
    {
        o.MapInboundClaims = false;
        o.TokenHandlers.Clear();
        o.TokenHandlers.Add(new ParsedOnceTokenHandler(accessor) { MapInboundClaims = false });
        o.IncludeErrorDetails = false;
        o.RequireHttpsMetadata = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = trust.TrustedIssuers.Select(i => i.Issuer).ToList(),
            ValidateAudience = true,
            AudienceValidator = (audiences, _, _) => accessor.HttpContext is { } http && audiences.Any(a => SameUrl(a, EndpointUrl(http, trust))),
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(trust.ClockSkewSeconds),
            ValidAlgorithms = AsymmetricAlgorithms,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeyResolver = (_, token, kid, _) =>
                accessor.HttpContext?.Items[KeysItem] is IReadOnlyList<SecurityKey> keys
                    ? keys.Where(k => (kid is null || k.KeyId == kid) && TokenChecks.KeyFitsAlgorithm(k, (token as JsonWebToken)?.Alg)).Select(VerificationKeys.For)
                    : [],
        };
        o.Events = new JwtBearerEvents
        {
            OnMessageReceived = ctx => MessageReceivedAsync(ctx, trust),
            OnTokenValidated = ctx => TokenValidatedAsync(ctx, trust),
            OnAuthenticationFailed = ctx =>
            {
                Rejected(ctx.HttpContext, ctx.Exception.GetType().Name);
                return Task.CompletedTask;
            },
            OnChallenge = ctx =>
            {
                // A bare 401: no reason in the body or in WWW-Authenticate, and no problem-details page.
                ctx.HandleResponse();
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                ctx.Response.Headers.WWWAuthenticate = "Bearer";
                if (ctx.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                return Task.CompletedTask;
            },
        };
    }

    private static async Task MessageReceivedAsync(MessageReceivedContext ctx, TrustOptions trust)
    {
        if (trust.Open)
        {
            ctx.NoResult(); // open Development mode: a token (the sandbox always sends one) is neither checked nor refused
            return;
        }
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return; // no token: challenged as anonymous
        var token = header["Bearer ".Length..].Trim();
        JsonWebToken jwt;
        try
        {
            jwt = ctx.HttpContext.Items[ParsedTokenItem] is JsonWebToken parsed && string.Equals(parsed.EncodedToken, token, StringComparison.Ordinal)
                ? parsed
                : new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            Reject(ctx, (token.Split('.') is [_, var payload, ..] ? TokenChecks.PayloadRefusal(payload, trust, Now) : null) ?? "malformed token");
            return;
        }
        if (TokenChecks.Refusal(jwt, trust, Now) is { } refusal)
        {
            Reject(ctx, refusal);
            return;
        }
        var issuer = trust.TrustedIssuers.Find(i => string.Equals(i.Issuer, jwt.Issuer, StringComparison.Ordinal));
        if (issuer is null)
        {
            Reject(ctx, "issuer not trusted");
            return;
        }
        string? source;
        string? pinned = null;
        if (jwt.TryGetHeaderValue<string>("jku", out var jku))
        {
            if (!issuer.AllowedJku.Contains(jku, StringComparer.Ordinal))
            {
                Reject(ctx, "jku not allow-listed for the issuer");
                return;
            }
            source = jku;
            // Keys pinned for the issuer (JwksFile) serve an allow-listed jku: it is fetched only when they lack the kid.
            pinned = issuer.JwksFile is { } file ? "file:" + file : null;
        }
        else
        {
            source = issuer.JwksUri ?? (issuer.JwksFile is { } file ? "file:" + file : null);
        }
        if (source is null)
        {
            Reject(ctx, "no JWKS configured for the issuer");
            return;
        }
        var cache = ctx.HttpContext.RequestServices.GetRequiredService<JwksCache>();
        IReadOnlyList<SecurityKey> keys = pinned is null ? [] : await cache.KeysAsync(pinned, jwt.Kid, ctx.HttpContext.RequestAborted);
        if (!keys.Any(k => jwt.Kid is null || k.KeyId == jwt.Kid))
            keys = await cache.KeysAsync(source, jwt.Kid, ctx.HttpContext.RequestAborted);
        if (TokenChecks.KeyRefusal(keys, jwt) is { } keyRefusal)
        {
            Reject(ctx, keyRefusal);
            return;
        }
        ctx.HttpContext.Items[KeysItem] = keys;
        ctx.HttpContext.Items[ParsedTokenItem] = jwt;
        ctx.HttpContext.Items[IssuerItem] = issuer;
        ctx.Token = token;
    }

    private static async Task TokenValidatedAsync(TokenValidatedContext ctx, TrustOptions trust)
    {
        var principal = ctx.Principal!;
        var issuer = (TrustedIssuer)ctx.HttpContext.Items[IssuerItem]!;
        var jti = principal.FindFirst("jti")?.Value;
        if (string.IsNullOrEmpty(jti))
        {
            Fail(ctx, "missing jti");
            return;
        }
        if (issuer.Tenants.Count > 0 && !issuer.Tenants.Contains(principal.FindFirst("tenant")?.Value ?? "", StringComparer.Ordinal))
        {
            Fail(ctx, "tenant not allowed for the issuer");
            return;
        }
        var expires = new DateTimeOffset(ctx.SecurityToken.ValidTo, TimeSpan.Zero).AddSeconds(trust.ClockSkewSeconds);
        bool first;
        try
        {
            first = await ctx.HttpContext.RequestServices.GetRequiredService<IReplayGuard>()
                .TryRegisterAsync(issuer.Issuer, jti, expires, ctx.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            Fail(ctx, "jti replay check unavailable (database)"); // refused rather than let a replay through
            return;
        }
        if (!first) Fail(ctx, "jti replayed");
    }

    private static void Fail(TokenValidatedContext ctx, string reason)
    {
        Rejected(ctx.HttpContext, reason);
        ctx.Fail(reason);
    }

    private static void Reject(MessageReceivedContext ctx, string reason)
    {
        Rejected(ctx.HttpContext, reason);
        ctx.Fail(reason);
    }

    /// <summary>The URL the client called: the configured public base URL (behind a proxy) or the request's own, plus the path.</summary>
    public static string EndpointUrl(HttpContext http, TrustOptions trust)
    {
        var request = http.Request;
        var baseUrl = trust.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        return baseUrl + request.Path;
    }

    /// <summary>Equal, or equal but for one trailing slash: <c>...//</c> and doubled slashes inside are other URLs.</summary>
    private static bool SameUrl(string a, string b) => string.Equals(OneSlashOff(a), OneSlashOff(b), StringComparison.Ordinal);

    private static string OneSlashOff(string url) => url.EndsWith('/') ? url[..^1] : url;

    /// <summary>The clock the token library checks <c>exp</c> and <c>nbf</c> against (the system's), so both agree on "now".</summary>
    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    /// <summary>A refused token: the reason logged (never the token) and counted by reason.</summary>
    private static void Rejected(HttpContext http, string reason)
    {
        LogRejected(Log(http), reason);
        Telemetry.CdsTelemetry.JwtRefused(reason);
    }

    private static ILogger Log(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CmlCds.Auth");

    [LoggerMessage(Level = LogLevel.Warning, Message = "JWT rejected: {Reason}")]
    private static partial void LogRejected(ILogger log, string reason);
}

/// <summary>
/// The token library's handler, given the token the request already parsed (<see cref="CdsAuthentication.ParsedTokenItem"/>)
/// instead of parsing it a third time; any other token is parsed as usual.
/// </summary>
internal sealed class ParsedOnceTokenHandler(IHttpContextAccessor accessor) : JsonWebTokenHandler
{
    public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters) =>
        accessor.HttpContext?.Items[CdsAuthentication.ParsedTokenItem] is JsonWebToken parsed && string.Equals(parsed.EncodedToken, token, StringComparison.Ordinal)
            ? ValidateTokenAsync(parsed, validationParameters)
            : base.ValidateTokenAsync(token, validationParameters);
}

/// <summary>
/// The key object a signature is verified with, built once per key of a JWK Set (an <see cref="RsaSecurityKey"/> or
/// <see cref="ECDsaSecurityKey"/> from the JWK's parameters) and kept as long as the JWK itself, instead of being derived
/// from the JWK on every call.
/// </summary>
internal static class VerificationKeys
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SecurityKey, SecurityKey> Built = new();

    public static SecurityKey For(SecurityKey key) =>
        key is JsonWebKey jwk ? Built.GetValue(key, _ => JsonWebKeyConverter.TryConvertToSecurityKey(jwk, out var converted) ? converted : key) : key;
}
