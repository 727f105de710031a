using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CmlCds.Api.Tests;

/// <summary>
/// CDS Hooks 2.0 §Trusting CDS Clients (requirements 176, 195, 199, 201, 203, 205) with real keys: an ES384 client
/// in the style of the CDS Hooks sandbox (jku, 5-minute tokens) and an RS384 client in the style of Epic (sub, nbf,
/// 15-minute tokens, JWKS out of band, a tenant), against the service running in Production mode.
/// </summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private const string SandboxIssuer = "https://sandbox.cds-hooks.org";
    private const string EpicIssuer = "https://fhir.epic.example/interconnect-fhir-oauth";

    private readonly ClientKey _sandbox = ClientKey.Es384("sandbox-es384");
    private readonly ClientKey _epic = ClientKey.Rs384("epic-rs384");
    private JwksServer _jwks = null!;
    private FhirDouble _fhir = null!;
    private TestHost _host = null!;
    private string _sandboxJku = "";
    private readonly MutableClock _clock = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _logs = new();

    public async Task InitializeAsync()
    {
        _jwks = await JwksServer.StartAsync();
        _sandboxJku = _jwks.Publish("/sandbox/jwks.json", _sandbox);
        var epicJwks = _jwks.Publish("/epic/jwks.json", _epic);
        _fhir = await FhirDouble.StartAsync();
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
        _fhir.ServePrefetchOf(request, System.Text.Json.JsonSerializer.Deserialize(request.ToJsonString(), CmlCds.Hooks.Json.CdsHooksJson.HookRequest)!);
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["AllowedHosts"] = "127.0.0.1",
            ["Audit:PatientKeySecret"] = "test-audit-secret",
            ["CdsHooks:Auth:TrustedIssuers:0:Issuer"] = SandboxIssuer,
            ["CdsHooks:Auth:TrustedIssuers:0:AllowedJku:0"] = _sandboxJku,
            ["CdsHooks:Auth:TrustedIssuers:0:FhirServers:0"] = _fhir.BaseUrl.AbsoluteUri,
            ["CdsHooks:Auth:TrustedIssuers:1:Issuer"] = EpicIssuer,
            ["CdsHooks:Auth:TrustedIssuers:1:JwksUri"] = epicJwks,
            ["CdsHooks:Auth:TrustedIssuers:1:Tenants:0"] = "tenant-a",
            ["Cors:AllowedOrigins:0"] = "https://sandbox.cds-hooks.org",
        }, b =>
        {
            b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
            b.Logging.AddProvider(_logs);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fhir.DisposeAsync();
        await _jwks.DisposeAsync();
    }

    private string Url(string path) => new Uri(_host.BaseAddress, path).AbsoluteUri;

    private string SandboxToken(string path, IDictionary<string, object>? header = null, string? jti = "generate") =>
        Jwt.Sign(_sandbox, SandboxIssuer, Url(path), DateTime.UtcNow.AddMinutes(5), jti: jti,
            header: header ?? new Dictionary<string, object> { ["jku"] = _sandboxJku });

    private string EpicToken(string path, string tenant = "tenant-a") =>
        Jwt.Sign(_epic, EpicIssuer, Url(path), DateTime.UtcNow.AddMinutes(15), notBefore: DateTime.UtcNow.AddSeconds(-5),
            claims: new Dictionary<string, object> { ["sub"] = "epic-client-7", ["tenant"] = tenant });

    private static string ScenarioRequest(bool withPrefetch = true, string? fhirServer = null)
    {
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
        if (!withPrefetch) request.Remove("prefetch");
        if (fhirServer is not null) request["fhirServer"] = fhirServer;
        return request.ToJsonString();
    }

    private async Task<HttpResponseMessage> Call(string method, string path, string? token, string? body = null)
    {
        using var message = new HttpRequestMessage(new HttpMethod(method), path);
        if (token is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) message.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await _host.Client.SendAsync(message);
    }

    private Task<HttpResponseMessage> Discovery(string? token) => Call("GET", "/cds-services", token);
    private Task<HttpResponseMessage> Service(string? token, string? body = null) => Call("POST", "/cds-services/cml-monitoring", token, body ?? ScenarioRequest());

    /// <summary>A bare 401, and the service logged this reason for it (so the test fails if it was refused for another).</summary>
    private async Task AssertBare401(HttpResponseMessage response, string loggedReason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.True(_logs.Messages.Any(m => m.Contains("JWT rejected: " + loggedReason, StringComparison.Ordinal)),
            "expected rejection for: " + loggedReason + "\nlogged:\n" + string.Join("\n", _logs.Messages.Where(m => m.Contains("JWT rejected", StringComparison.Ordinal))));
    }

    private static async Task AssertBare401Anonymous(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    // ---- accepted ----

    [Fact]
    public async Task Req176_205_sandbox_style_ES384_token_with_jku_is_accepted_on_discovery_and_service()
    {
        using var discovery = await Discovery(SandboxToken("/cds-services"));
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        using var service = await Service(SandboxToken("/cds-services/cml-monitoring"));
        Assert.Equal(HttpStatusCode.OK, service.StatusCode);
        Assert.Contains("response-failure", await service.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Req199_205_epic_style_RS384_token_with_sub_nbf_and_15_minutes_is_accepted()
    {
        using var discovery = await Discovery(EpicToken("/cds-services"));
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        using var service = await Service(EpicToken("/cds-services/cml-monitoring"));
        Assert.Equal(HttpStatusCode.OK, service.StatusCode);
    }

    private const string FeedbackBody = """{"feedback":[{"card":"4e0a3a1e-3283-4575-ab82-028d55fe2719","outcome":"overridden","outcomeTimestamp":"2026-06-01T10:00:00Z"}]}""";

    [Fact]
    public async Task Both_client_styles_are_accepted_on_the_feedback_endpoint_too()
    {
        using var sandbox = await Call("POST", "/cds-services/cml-monitoring/feedback", SandboxToken("/cds-services/cml-monitoring/feedback"), FeedbackBody);
        Assert.Equal(HttpStatusCode.OK, sandbox.StatusCode);
        using var epic = await Call("POST", "/cds-services/cml-monitoring/feedback", EpicToken("/cds-services/cml-monitoring/feedback"), FeedbackBody);
        Assert.Equal(HttpStatusCode.OK, epic.StatusCode);
    }

    [Fact]
    public async Task Feedback_without_a_token_is_401() =>
        await AssertBare401Anonymous(await Call("POST", "/cds-services/cml-monitoring/feedback", null, FeedbackBody));

    [Fact]
    public async Task A_token_for_the_service_is_not_valid_for_its_feedback_endpoint() =>
        await AssertBare401(await Call("POST", "/cds-services/cml-monitoring/feedback", SandboxToken("/cds-services/cml-monitoring"), FeedbackBody),
            "SecurityTokenInvalidAudienceException");

    [Fact]
    public async Task Audience_may_be_an_array_holding_the_endpoint()
    {
        var token = Jwt.Sign(_epic, EpicIssuer, Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(15),
            claims: new Dictionary<string, object> { ["tenant"] = "tenant-a", ["aud"] = new[] { "https://other.example/x", Url("/cds-services/cml-monitoring") } });
        using var response = await Service(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // ---- rejected, each a bare 401 ----

    [Fact] public async Task No_token_is_401() => await AssertBare401Anonymous(await Service(null));

    [Fact]
    public async Task Expired_token_is_401() => await AssertBare401(await Service(
        Jwt.Sign(_epic, EpicIssuer, Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(-6),
            claims: new Dictionary<string, object> { ["tenant"] = "tenant-a" })), "SecurityTokenExpiredException");

    [Fact] public async Task Token_for_another_endpoint_is_401() => await AssertBare401(await Service(SandboxToken("/cds-services/other-service")), "SecurityTokenInvalidAudienceException");

    [Fact]
    public async Task Unknown_issuer_is_401()
    {
        var stranger = ClientKey.Es384("stranger");
        await AssertBare401(await Service(Jwt.Sign(stranger, "https://evil.example", Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(5))), "issuer not trusted");
    }

    [Fact]
    public async Task Unknown_kid_is_401()
    {
        var other = ClientKey.Rs384("not-in-the-jwks");
        await AssertBare401(await Service(Jwt.Sign(other, EpicIssuer, Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(15),
            claims: new Dictionary<string, object> { ["tenant"] = "tenant-a" })), "SecurityTokenSignatureKeyNotFoundException");
    }

    [Fact]
    public async Task Req195_jku_not_allow_listed_is_401()
    {
        var evil = _jwks.Publish("/evil/jwks.json", _sandbox);
        var before = _jwks.Fetches;
        await AssertBare401(await Service(SandboxToken("/cds-services/cml-monitoring", new Dictionary<string, object> { ["jku"] = evil })), "jku not allow-listed");
        Assert.Equal(before, _jwks.Fetches);
    }

    [Fact] public async Task Req201_alg_none_is_401() => await AssertBare401(await Service(Jwt.None(SandboxIssuer, Url("/cds-services/cml-monitoring"), _sandboxJku)), "alg not allowed");

    [Fact]
    public async Task Req203_HS256_signed_with_the_public_key_is_401() =>
        await AssertBare401(await Service(Jwt.Hs256WithPublicKey(_epic, EpicIssuer, Url("/cds-services/cml-monitoring"))), "alg not allowed");

    [Fact]
    public async Task Tampered_payload_is_401() =>
        await AssertBare401(await Service(Jwt.Tamper(EpicToken("/cds-services/cml-monitoring"), "sub", "someone-else")), "SecurityTokenInvalidSignatureException");

    [Fact] public async Task Missing_jti_is_401() => await AssertBare401(await Service(SandboxToken("/cds-services/cml-monitoring", jti: null)), "missing jti");

    [Fact]
    public async Task Missing_iat_is_401() => await AssertBare401(await Service(Jwt.Sign(_sandbox, SandboxIssuer, Url("/cds-services/cml-monitoring"),
        DateTime.UtcNow.AddMinutes(5), issuedAt: false, header: new Dictionary<string, object> { ["jku"] = _sandboxJku })), "missing iat");

    [Fact]
    public async Task Replayed_jti_is_401()
    {
        var token = SandboxToken("/cds-services/cml-monitoring");
        using var first = await Service(token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertBare401(await Service(token), "jti replayed");
    }

    [Fact] public async Task Wrong_tenant_is_401() => await AssertBare401(await Service(EpicToken("/cds-services/cml-monitoring", tenant: "tenant-b")), "tenant not allowed");

    [Fact]
    public async Task Not_yet_valid_token_beyond_the_skew_is_401() => await AssertBare401(await Service(
        Jwt.Sign(_epic, EpicIssuer, Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(20), notBefore: DateTime.UtcNow.AddMinutes(6),
            claims: new Dictionary<string, object> { ["tenant"] = "tenant-a" })), "SecurityTokenNotYetValidException");

    // ---- issue 17 item 2: each case the adversarial run found accepted (or a 500) ----

    private string SandboxTokenWith(IDictionary<string, object>? header = null, Action<JsonObject>? payload = null, ClientKey? key = null)
    {
        var head = new Dictionary<string, object> { ["jku"] = _sandboxJku };
        foreach (var (k, v) in header ?? new Dictionary<string, object>()) head[k] = v;
        var token = Jwt.Sign(key ?? _sandbox, SandboxIssuer, Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(5), header: head);
        return payload is null ? token : Jwt.Resign(token, key ?? _sandbox, payload);
    }

    [Fact]
    public async Task Crit_header_with_an_unknown_extension_is_401() =>
        await AssertBare401(await Service(SandboxTokenWith(new Dictionary<string, object> { ["crit"] = new[] { "x-unknown" }, ["x-unknown"] = true })), "crit header names an extension");

    [Fact]
    public async Task Crit_header_empty_is_401() =>
        await AssertBare401(await Service(SandboxTokenWith(new Dictionary<string, object> { ["crit"] = Array.Empty<string>() })), "crit header is empty");

    [Theory]
    [InlineData(3600)]
    [InlineData(365 * 24 * 3600)]
    public async Task Iat_in_the_future_is_401(long ahead) =>
        await AssertBare401(await Service(SandboxTokenWith(payload: p =>
        {
            p["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + ahead;
            p["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + ahead + 300;
        })), "iat in the future");

    [Fact]
    public async Task Exp_ten_years_ahead_is_401() =>
        await AssertBare401(await Service(SandboxTokenWith(payload: p => p["exp"] = DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeSeconds())), "lifetime (exp - iat) over 3600 s");

    [Fact]
    public async Task Exp_ahead_of_now_by_more_than_the_cap_is_401_even_when_iat_is_as_far_ahead_as_allowed() =>
        await AssertBare401(await Service(SandboxTokenWith(payload: p =>
        {
            p["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 250;
            p["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 250 + 3600;
        })), "exp more than 3600 s ahead");

    [Fact]
    public async Task Exp_as_a_string_is_401() =>
        await AssertBare401(await Service(SandboxTokenWith(payload: p => p["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))), "exp is not a NumericDate");

    [Fact]
    public async Task Iat_as_a_string_is_401() =>
        await AssertBare401(await Service(SandboxTokenWith(payload: p => p["iat"] = "now")), "iat is not a NumericDate");

    [Fact]
    public async Task Exp_in_year_9999_is_401_not_500() =>
        await AssertBare401(await Service(SandboxTokenWith(payload: p => p["exp"] = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds())), "lifetime (exp - iat) over 3600 s");

    [Fact]
    public async Task Exp_beyond_any_date_is_401_not_500() =>
        await AssertBare401(await Service(SandboxTokenWith(payload: p => p["exp"] = 1e300)), "exp is not a NumericDate");

    [Fact]
    public async Task ES256_header_over_the_P384_key_is_401()
    {
        // Signed with the issuer's own P-384 key, but the header says ES256: the key does not fit the alg.
        var token = SandboxTokenWith(payload: _ => { });
        var forged = Jwt.ResignWithHeader(token, _sandbox, h => h["alg"] = "ES256");
        await AssertBare401(await Service(forged), "key does not fit the token's alg");
    }

    [Fact]
    public async Task Audience_with_a_doubled_slash_is_401()
    {
        var doubled = Url("/cds-services/cml-monitoring").Replace("/cds-services", "//cds-services", StringComparison.Ordinal);
        await AssertBare401(await Service(SandboxTokenWith(payload: p => p["aud"] = doubled)), "SecurityTokenInvalidAudienceException");
        await AssertBare401(await Service(SandboxTokenWith(payload: p => p["aud"] = Url("/cds-services/cml-monitoring") + "//")), "SecurityTokenInvalidAudienceException");
    }

    [Fact]
    public async Task A_Host_header_for_another_host_is_refused_before_any_token_is_read()
    {
        // The token is for evil.example, sent with "Host: evil.example": AllowedHosts refuses the host, so the
        // audience is never taken from it.
        var token = Jwt.Sign(_sandbox, SandboxIssuer, "http://evil.example/cds-services/cml-monitoring", DateTime.UtcNow.AddMinutes(5),
            header: new Dictionary<string, object> { ["jku"] = _sandboxJku });
        using var message = new HttpRequestMessage(HttpMethod.Post, "/cds-services/cml-monitoring") { Content = new StringContent(ScenarioRequest(), Encoding.UTF8, "application/json") };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Host = "evil.example";
        using var response = await _host.Client.SendAsync(message);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    // ---- JWKS cache ----

    [Fact]
    public async Task A_rotated_key_is_fetched_on_its_unknown_kid_at_most_once_a_minute()
    {
        using (var warm = await Service(EpicToken("/cds-services/cml-monitoring"))) Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        var rotated = ClientKey.Rs384("epic-rs384-2026");
        _jwks.Publish("/epic/jwks.json", _epic, rotated);
        var before = _jwks.Fetches;
        string Rotated() => Jwt.Sign(rotated, EpicIssuer, Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(15),
            claims: new Dictionary<string, object> { ["tenant"] = "tenant-a" });

        _clock.Now = _clock.Now.AddMinutes(2);
        using (var first = await Service(Rotated())) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(before + 1, _jwks.Fetches);

        var unknown = ClientKey.Rs384("unknown-within-the-minute");
        for (var i = 0; i < 3; i++)
            await AssertBare401(await Service(Jwt.Sign(unknown, EpicIssuer, Url("/cds-services/cml-monitoring"), DateTime.UtcNow.AddMinutes(15),
                claims: new Dictionary<string, object> { ["tenant"] = "tenant-a" })), "SecurityTokenSignatureKeyNotFoundException");
        Assert.Equal(before + 1, _jwks.Fetches);
    }

    // ---- fhirServer allow-list ----

    [Fact]
    public async Task A_FHIR_server_not_allowed_for_the_issuer_gets_412_and_sees_no_request()
    {
        await using var other = await FhirDouble.StartAsync();
        using var response = await Service(SandboxToken("/cds-services/cml-monitoring"), ScenarioRequest(withPrefetch: false, fhirServer: other.BaseUrl.AbsoluteUri));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("FHIR server not allowed", (string?)problem["title"]);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task The_allowed_FHIR_server_is_queried()
    {
        using var response = await Service(SandboxToken("/cds-services/cml-monitoring"), ScenarioRequest(withPrefetch: false, fhirServer: _fhir.BaseUrl.AbsoluteUri));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(_fhir.Requests);
    }

    [Fact]
    public async Task An_issuer_without_FHIR_servers_may_not_have_any_queried()
    {
        using var response = await Service(EpicToken("/cds-services/cml-monitoring"), ScenarioRequest(withPrefetch: false, fhirServer: _fhir.BaseUrl.AbsoluteUri));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Empty(_fhir.Requests);
    }

    // ---- CORS, headers ----

    [Fact]
    public async Task Req208_configured_origin_may_preflight_with_authorization_and_content_type()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/cds-services/cml-monitoring");
        preflight.Headers.Add("Origin", "https://sandbox.cds-hooks.org");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var response = await _host.Client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://sandbox.cds-hooks.org", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Another_origin_gets_no_CORS_grant()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/cds-services/cml-monitoring");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await _host.Client.SendAsync(preflight);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        using var response = await Discovery(SandboxToken("/cds-services"));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }
}

/// <summary>Start-up modes and limits, each on its own service instance.</summary>
public sealed class TrustModeTests
{
    [Fact]
    public async Task Production_without_trusted_issuers_refuses_to_start_and_says_why()
    {
        var e = await Assert.ThrowsAsync<StartupRefusedException>(() => TestHost.StartAsync(new Dictionary<string, string?> { ["environment"] = "Production" }));
        Assert.Contains("No trusted issuer is configured", e.Message);
        Assert.Contains("'Production'", e.Message);
    }

    [Fact]
    public async Task Development_without_trusted_issuers_runs_open_and_warns()
    {
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(configure: b => b.Logging.AddProvider(logs));
        using var response = await host.Client.GetAsync("/cds-services");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(logs.Messages, m => m.Contains("OPEN MODE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_mode_ignores_a_token_instead_of_refusing_it()
    {
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(configure: b => b.Logging.AddProvider(logs));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not.a.jwt");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(logs.Messages, m => m.Contains("JWT rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "4096" });
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring",
            new StringContent(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-loss-of-mmr", "request.json")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task JSON_nested_deeper_than_the_limit_is_400()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxJsonDepth"] = "32" });
        var deep = """{"hook":"patient-view","hookInstance":"h","context":{"patientId":"p"},"extension":""" + new string('[', 40) + new string(']', 40) + "}";
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(deep, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Calls_over_the_per_caller_rate_are_429()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Limits:PermitsPerMinute"] = "3" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Client.GetAsync("/cds-services");
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}

/// <summary>Collects every log message of a host, at every level.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
