using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Hooks.Json;
using WireMock.ResponseBuilders;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 17 item 3, the FHIR-server fence, over real HTTP: the allowed FHIR server on 127.0.0.1 redirects (301, 302,
/// 307, 308) to a second listener on 127.0.0.2 (another host) and to another path of its own; its next links point
/// outside its base path, relatively and absolutely, in the fallback and in a prefetch Bundle. The second listener
/// and the other path are never contacted, and the bearer token goes only to the allowed base. The service runs in
/// Production with the allowed server on the issuer's allow-list.
/// </summary>
public sealed class SsrfTests : IAsyncLifetime
{
    private const string Issuer = "https://ehr.example";
    private const string Token = "fhir-token-for-the-allowed-server-only";
    private readonly ClientKey _key = ClientKey.Es384("ehr");
    private JwksServer _jwks = null!;
    private FhirDouble _allowed = null!;
    private FhirDouble _other = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _jwks = await JwksServer.StartAsync();
        _allowed = await FhirDouble.StartAsync("127.0.0.1");
        _other = await FhirDouble.StartAsync("127.0.0.2");
        var request = ScenarioRequest();
        _allowed.ServePrefetchOf(request, JsonSerializer.Deserialize(request.ToJsonString(), CdsHooksJson.HookRequest)!);
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["AllowedHosts"] = "127.0.0.1",
            ["Audit:PatientKeySecret"] = "test-audit-secret",
            ["CdsHooks:Auth:TrustedIssuers:0:Issuer"] = Issuer,
            ["CdsHooks:Auth:TrustedIssuers:0:JwksUri"] = _jwks.Publish("/jwks.json", _key),
            ["CdsHooks:Auth:TrustedIssuers:0:FhirServers:0"] = _allowed.BaseUrl.AbsoluteUri,
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _allowed.DisposeAsync();
        await _other.DisposeAsync();
        await _jwks.DisposeAsync();
    }

    private static JsonObject ScenarioRequest() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();

    /// <summary>The scenario without the prefetch key <paramref name="fetched"/>, which must come from the allowed server.</summary>
    private JsonObject Fallback(string fetched = "conditions", string? fhirServer = null)
    {
        var request = ScenarioRequest();
        request["prefetch"]!.AsObject().Remove(fetched);
        request["fhirServer"] = fhirServer ?? _allowed.BaseUrl.AbsoluteUri;
        request["fhirAuthorization"] = new JsonObject { ["access_token"] = Token, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/*.read", ["subject"] = "cml-cds" };
        return request;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> Post(JsonObject request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/cds-services/cml-monitoring")
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            Jwt.Sign(_key, Issuer, new Uri(_host.BaseAddress, "/cds-services/cml-monitoring").AbsoluteUri, DateTime.UtcNow.AddMinutes(5)));
        using var response = await _host.Client.SendAsync(message);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private void AssertFenceHeld()
    {
        Assert.Empty(_other.Requests);
        Assert.All(_allowed.Requests, r => Assert.StartsWith("fhir/", r.PathAndQuery, StringComparison.Ordinal));
        Assert.DoesNotContain(_allowed.Requests, r => r.PathAndQuery.Contains("admin", StringComparison.Ordinal) || r.PathAndQuery.Contains("escaped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_to_another_host_is_not_followed(int code)
    {
        // To the same search on the other host ({{request.query}} is the search the service sent).
        _allowed.On("/Condition").RespondWith(Response.Create().WithStatusCode(code)
            .WithHeader("Location", new Uri(_other.BaseUrl, "Condition").AbsoluteUri + "?patient={{request.query.patient}}&_count={{request.query._count}}").WithTransformer());
        var (status, body) = await Post(Fallback());
        Assert.Equal(HttpStatusCode.PreconditionFailed, status); // conditions is required, and was not had
        Assert.Contains($"redirect (HTTP {code})", body.ToJsonString(), StringComparison.Ordinal);
        AssertFenceHeld();
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_redirect_to_another_path_of_the_allowed_host_is_not_followed(int code)
    {
        _allowed.On("/Condition").RespondWith(Response.Create().WithStatusCode(code).WithHeader("Location", "/admin/secret"));
        var (status, _) = await Post(Fallback());
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        AssertFenceHeld();
    }

    public static TheoryData<string> EscapingLinks() => new()
    {
        "../escaped",
        "../../admin/secret",
        "/../admin/secret",
        "http://127.0.0.1:{port}/admin/secret",
        "http://127.0.0.2:{other}/fhir/Condition?page=2",
        "http://[::1",
    };

    [Theory]
    [MemberData(nameof(EscapingLinks))]
    public async Task A_next_link_outside_the_base_is_not_followed_in_the_fallback(string link)
    {
        var next = link.Replace("{port}", _allowed.BaseUrl.Port.ToString(), StringComparison.Ordinal).Replace("{other}", _other.BaseUrl.Port.ToString(), StringComparison.Ordinal);
        _allowed.On("/Condition").RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(new JsonObject
        {
            ["resourceType"] = "Bundle", ["type"] = "searchset",
            ["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = next }),
            ["entry"] = ScenarioRequest()["prefetch"]!["conditions"]!["entry"]!.DeepClone(),
        }.ToJsonString()));
        var (status, body) = await Post(Fallback());
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("outside the FHIR server", body.ToJsonString(), StringComparison.Ordinal);
        AssertFenceHeld();
    }

    [Theory]
    [MemberData(nameof(EscapingLinks))]
    public async Task A_next_link_outside_the_base_is_not_followed_from_a_prefetch_Bundle(string link)
    {
        var next = link.Replace("{port}", _allowed.BaseUrl.Port.ToString(), StringComparison.Ordinal).Replace("{other}", _other.BaseUrl.Port.ToString(), StringComparison.Ordinal);
        var request = Fallback(fetched: "serviceRequests"); // optional key fetched; the Bundle below is in prefetch
        request["prefetch"]!["conditions"]!["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = next });
        var (status, body) = await Post(request);
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("outside the FHIR server", body.ToJsonString(), StringComparison.Ordinal);
        AssertFenceHeld();
    }

    [Fact]
    public async Task The_bearer_token_goes_to_the_allowed_base_only_and_a_real_next_page_is_followed()
    {
        _allowed.Answer("Condition?page=2", """{"resourceType":"Bundle","type":"searchset"}""");
        var request = Fallback(fetched: "serviceRequests");
        request["prefetch"]!["conditions"]!["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = new Uri(_allowed.BaseUrl, "Condition?page=2").AbsoluteUri });
        var (status, _) = await Post(request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(_allowed.Requests, r => r.PathAndQuery == "fhir/Condition?page=2");
        Assert.All(_allowed.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
        AssertFenceHeld();
    }

    public static TheoryData<string> Tricks() => new()
    {
        "{allowed}?@127.0.0.2:{other}",
        "{allowed}?x=1",
        "{allowed}#fragment",
        "{allowed}x",
        "{allowed}../admin",
        "http://user@127.0.0.1:{port}/fhir/",
        "http://127.0.0.1:{port}@127.0.0.2:{other}/fhir/",
        "http://127.0.0.2:{other}/fhir/",
    };

    [Theory]
    [MemberData(nameof(Tricks))]
    public async Task A_fhirServer_URL_trick_is_412_and_nothing_is_sent(string trick)
    {
        var server = trick.Replace("{allowed}", _allowed.BaseUrl.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal)
            .Replace("{port}", _allowed.BaseUrl.Port.ToString(), StringComparison.Ordinal).Replace("{other}", _other.BaseUrl.Port.ToString(), StringComparison.Ordinal);
        var (status, body) = await Post(Fallback(fhirServer: server));
        Assert.True(status is HttpStatusCode.PreconditionFailed or HttpStatusCode.BadRequest, $"{server}: {(int)status} {body.ToJsonString()}");
        Assert.Empty(_allowed.Requests);
        Assert.Empty(_other.Requests);
    }
}
