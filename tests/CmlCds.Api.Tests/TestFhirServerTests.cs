using System.Net;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// What the test FHIR server (tests/fhir-server) must do to serve a browser app such as the CDS Hooks sandbox on this
/// machine: CORS on every answer and preflight, the form-encoded POST /{type}/_search the sandbox prefers, and a
/// CapabilityStatement at /metadata, which the sandbox reads first.
/// </summary>
public sealed class TestFhirServerTests : IClassFixture<TestFhirServerTests.Loaded>
{
    public sealed class Loaded : IAsyncLifetime
    {
        public MedplumFhirServer Server { get; } = new();

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            if (MedplumFhirServer.SkipReason is not null) return;
            await Server.TransactAsync(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "samples", "t315i-on-imatinib.json")))!.AsObject());
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }

    private const string Query = "patient=t315i-on-imatinib&code=http://loinc.org|69380-4&_count=2";
    private readonly MedplumFhirServer _server;
    public TestFhirServerTests(Loaded loaded) => _server = loaded.Server;

    [FhirServerFact]
    public async Task Form_encoded_POST_search_answers_as_the_GET_search()
    {
        var get = await _server.GetAsync($"Observation?{Query}");
        using var post = await _server.Client.PostAsync(new Uri(_server.BaseUrl, "Observation/_search"),
            new FormUrlEncodedContent(Query.Split('&').Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]))));
        var body = await post.Content.ReadAsStringAsync();
        Assert.True(post.StatusCode == HttpStatusCode.OK, body);
        var searched = JsonNode.Parse(body)!;
        Assert.Equal(4, (int)get["total"]!);
        Assert.True(JsonNode.DeepEquals(get["entry"], searched["entry"]), body);
        Assert.Equal((int)get["total"]!, (int)searched["total"]!);
        // its next page is a GET URL with the same parameters
        var next = (string)searched["link"]!.AsArray().First(l => (string?)l!["relation"] == "next")!["url"]!;
        Assert.Contains("/fhir/Observation?", next);
        Assert.Equal(2, JsonNode.Parse(await _server.Client.GetStringAsync(next))!["entry"]!.AsArray().Count);
    }

    [FhirServerFact]
    public async Task Every_answer_and_the_preflight_carry_CORS_headers()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.BaseUrl, "Observation/_search"));
        preflight.Headers.Add("Origin", "http://localhost:3000");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        using var answer = await _server.Client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());

        using var read = await _server.Client.GetAsync(new Uri(_server.BaseUrl, "Patient/t315i-on-imatinib"));
        Assert.Equal("*", read.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var missing = await _server.Client.GetAsync(new Uri(_server.BaseUrl, "Patient/nobody"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("*", missing.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [FhirServerFact]
    public async Task Metadata_is_an_R4_CapabilityStatement()
    {
        var metadata = await _server.GetAsync("metadata");
        Assert.Equal("CapabilityStatement", (string?)metadata["resourceType"]);
        Assert.Equal("4.0.1", (string?)metadata["fhirVersion"]);
    }

    [FhirServerFact]
    public async Task A_search_body_that_is_not_form_encoded_is_415_not_500()
    {
        using var post = await _server.Client.PostAsync(new Uri(_server.BaseUrl, "Observation/_search"),
            new StringContent("""{"patient":"x"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, post.StatusCode);
    }
}
