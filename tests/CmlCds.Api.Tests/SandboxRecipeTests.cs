using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmlCds.Api.Security;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// README's trust recipe for the CDS Hooks sandbox, read from README.md and run as configured, offline: tokens shaped
/// exactly like the sandbox's (ES384, its kid, its jku, its iss, aud the endpoint called), signed by a test key listed
/// in a JwksFile the same way trust/sandbox-jwks.json lists the sandbox's. The pinned keys serve the allow-listed jku,
/// which is never fetched (any attempt is recorded and fails, as it does without network), and the FhirServers entry
/// lets the service fetch what the sandbox did not prefetch. Requirements: CDS Hooks §Trusting CDS Clients (jku, kid,
/// iss, aud, out-of-band keys: 199).
/// </summary>
public sealed partial class SandboxRecipeTests : IClassFixture<SandboxRecipeTests.Recipe>
{
    public const string SandboxIssuer = "https://sandbox.cds-hooks.org";
    public const string SandboxJku = "https://sandbox.cds-hooks.org/.well-known/jwks.json";
    public const string SandboxKid = "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f";
    private const string ReadmeFhirServer = "http://localhost:8080/fhir";

    /// <summary>Refuses every JWKS fetch, as a machine without network does, and counts the attempts.</summary>
    public sealed class Offline : HttpMessageHandler
    {
        public int Attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Attempts);
            throw new HttpRequestException("no network", null, HttpStatusCode.ServiceUnavailable);
        }
    }

    public sealed class Recipe : IAsyncLifetime
    {
        public MedplumFhirServer Fhir { get; } = new();
        public ClientKey Key { get; } = ClientKey.Es384(SandboxKid);
        public Offline Network { get; } = new();
        public TestHost Service { get; private set; } = null!;
        public Dictionary<string, string?> Settings { get; private set; } = null!;
        private readonly string _jwks = Path.Combine(Path.GetTempPath(), $"cmlcds-sandbox-jwks-{Guid.NewGuid():N}.json");

        public async Task InitializeAsync()
        {
            await Fhir.InitializeAsync();
            if (MedplumFhirServer.SkipReason is not null) return;
            await Fhir.TransactAsync(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "samples", "t315i-on-imatinib.json")))!.AsObject());
            await File.WriteAllTextAsync(_jwks, new JsonObject { ["keys"] = new JsonArray(Key.PublicJwk.DeepClone()) }.ToJsonString());
            Settings = ReadmeRecipe();
            var fhir = Fhir.BaseUrl.AbsoluteUri.TrimEnd('/');
            var settings = TestHost.WithPagedDeadline(Settings.ToDictionary(
                kv => kv.Key,
                kv => kv.Key.EndsWith(":JwksFile", StringComparison.Ordinal) ? _jwks : kv.Value?.Replace(ReadmeFhirServer, fhir, StringComparison.Ordinal)));
            Service = await TestHost.StartAsync(settings, b => b.Services.AddHttpClient(JwksCache.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Network));
        }

        public async Task DisposeAsync()
        {
            if (Service is not null) await Service.DisposeAsync();
            await Fhir.DisposeAsync();
            File.Delete(_jwks);
        }
    }

    /// <summary>The <c>--key=value</c> settings of README's sandbox command.</summary>
    public static Dictionary<string, string?> ReadmeRecipe()
    {
        var block = CodeBlocks().Matches(Readme.Text).Select(m => m.Groups[1].Value)
            .Single(b => b.Contains($"TrustedIssuers:0:Issuer={SandboxIssuer}", StringComparison.Ordinal));
        return Readme.Settings(block);
    }

    private readonly Recipe _recipe;
    public SandboxRecipeTests(Recipe recipe) => _recipe = recipe;

    private string SandboxToken(ClientKey key, string path) => Jwt.Sign(key, SandboxIssuer, new Uri(_recipe.Service.BaseAddress, path).AbsoluteUri,
        DateTime.UtcNow.AddMinutes(5), header: new Dictionary<string, object> { ["jku"] = SandboxJku, ["typ"] = "JWT" });

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Origin", SandboxIssuer);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await _recipe.Service.Client.SendAsync(request);
    }

    private JsonObject HookRequest(string fhirServer)
    {
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "t315i-on-imatinib", "request.json")))!.AsObject();
        request.Remove("prefetch"); // the sandbox sends what it could prefetch; here nothing, so everything is fetched
        request["fhirServer"] = fhirServer;
        return request;
    }

    [Fact]
    public void The_recipe_pins_the_sandbox_key_set_allows_its_jku_and_names_a_FHIR_server()
    {
        var recipe = ReadmeRecipe();
        Assert.Equal(SandboxIssuer, recipe["CdsHooks:Auth:TrustedIssuers:0:Issuer"]);
        Assert.Equal(SandboxJku, recipe["CdsHooks:Auth:TrustedIssuers:0:AllowedJku:0"]);
        Assert.Equal(ReadmeFhirServer, recipe["CdsHooks:Auth:TrustedIssuers:0:FhirServers:0"]);
        // the committed key set lists the sandbox key under the kid the sandbox's tokens carry, as the test key is listed here
        var jwks = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "src", "CmlCds.Api", recipe["CdsHooks:Auth:TrustedIssuers:0:JwksFile"]!)))!;
        var key = Assert.Single(jwks["keys"]!.AsArray())!;
        Assert.Equal((SandboxKid, "EC", "P-384", "ES384"), ((string?)key["kid"], (string?)key["kty"], (string?)key["crv"], (string?)key["alg"]));
    }

    [FhirServerFact]
    public async Task A_sandbox_token_is_accepted_offline_with_the_pinned_keys_and_the_jku_is_not_fetched()
    {
        var before = _recipe.Network.Attempts;
        using var discovery = await Send(HttpMethod.Get, "/cds-services", SandboxToken(_recipe.Key, "/cds-services"));
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(SandboxIssuer, discovery.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(before, _recipe.Network.Attempts);
    }

    [FhirServerFact]
    public async Task The_recipe_allows_the_fallback_to_its_FHIR_server_and_the_cards_are_the_golden_ones()
    {
        var before = _recipe.Network.Attempts;
        _recipe.Service.CardIds.Reset();
        using var response = await Send(HttpMethod.Post, "/cds-services/cml-monitoring", SandboxToken(_recipe.Key, "/cds-services/cml-monitoring"),
            HookRequest(_recipe.Fhir.BaseUrl.AbsoluteUri.TrimEnd('/')));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "t315i-on-imatinib", "response.json")));
        Assert.True(JsonNode.DeepEquals(golden, JsonNode.Parse(body)), body);
        Assert.Equal(before, _recipe.Network.Attempts);
    }

    [FhirServerFact]
    public async Task A_FHIR_server_the_recipe_does_not_name_is_412_and_not_contacted()
    {
        using var response = await Send(HttpMethod.Post, "/cds-services/cml-monitoring", SandboxToken(_recipe.Key, "/cds-services/cml-monitoring"),
            HookRequest("http://127.0.0.2:9/fhir"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("not allowed for this CDS client", await response.Content.ReadAsStringAsync());
    }

    [FhirServerFact]
    public async Task A_token_of_the_same_shape_signed_by_another_key_is_401()
    {
        using var response = await Send(HttpMethod.Get, "/cds-services", SandboxToken(ClientKey.Es384(SandboxKid), "/cds-services"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [FhirServerFact]
    public async Task A_kid_the_pinned_keys_lack_is_looked_up_at_the_jku_which_offline_fails_as_401()
    {
        var before = _recipe.Network.Attempts;
        using var response = await Send(HttpMethod.Get, "/cds-services", SandboxToken(ClientKey.Es384("rotated-" + Guid.NewGuid().ToString("N")), "/cds-services"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(_recipe.Network.Attempts > before, "the allow-listed jku is fetched for a kid the pinned keys lack");
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlocks();
}
