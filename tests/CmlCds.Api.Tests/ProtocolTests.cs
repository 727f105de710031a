using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CmlCds.Api.Tests;

/// <summary>
/// CDS Hooks 2.0 service requirements, over real HTTP. Test names start with the requirement ids of
/// ../shared/cdshooks/service-requirements.tsv that they check.
/// </summary>
public class ProtocolTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private HttpClient Client => fixture.Host.Client;

    private static readonly string ScenarioRoot = Path.Combine(Repo.Root, "cds-hooks");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private const string AllNullPrefetch = """{"patient":null,"bcrAbl1":null,"mutations":null,"medicationRequests":null,"medicationStatements":null,"conditions":null,"serviceRequests":null,"pregnancy":null,"medicationDispenses":null}""";

    private static string Request(string hook = "\"patient-view\"", string instance = "\"h-1\"", string context = """{"patientId":"p1","userId":"Practitioner/1"}""", string prefetch = AllNullPrefetch)
    {
        var members = new List<string>();
        if (hook.Length > 0) members.Add($"\"hook\":{hook}");
        if (instance.Length > 0) members.Add($"\"hookInstance\":{instance}");
        if (context.Length > 0) members.Add($"\"context\":{context}");
        if (prefetch.Length > 0) members.Add($"\"prefetch\":{prefetch}");
        return "{" + string.Join(",", members) + "}";
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> Post(string body, string path = "/cds-services/cml-monitoring")
    {
        using var response = await Client.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    // ---- Discovery ----

    [Fact]
    public async Task Req4_5_6_13_discovery_is_a_GET_at_cds_services_answering_200_with_a_services_array()
    {
        using var response = await Client.GetAsync("/cds-services");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var services = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["services"]!.AsArray();
        Assert.Single(services);
    }

    [Fact]
    public async Task Req7_8_9_10_11_the_service_has_hook_title_description_id_and_prefetch()
    {
        var service = JsonNode.Parse(await Client.GetStringAsync("/cds-services"))!["services"]![0]!;
        Assert.Equal("patient-view", (string?)service["hook"]);
        Assert.Equal("cml-monitoring", (string?)service["id"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)service["title"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)service["description"]));
        Assert.Equal(["patient", "bcrAbl1", "mutations", "medicationRequests", "medicationStatements", "conditions", "serviceRequests", "pregnancy", "medicationDispenses"],
            service["prefetch"]!.AsObject().Select(p => p.Key));
    }

    /// <summary>STYLE 9: a contract change shows up as a diff of cds-hooks/discovery.json.</summary>
    [Fact]
    public async Task Req29_36_discovery_matches_the_committed_snapshot()
    {
        var actual = JsonNode.Parse(await Client.GetStringAsync("/cds-services"))!;
        var path = Path.Combine(ScenarioRoot, "discovery.json");
        if (Environment.GetEnvironmentVariable("CMLCDS_UPDATE_GOLDEN") == "1")
            await File.WriteAllTextAsync(path, actual.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(path)), actual), "discovery changed: review, then update cds-hooks/discovery.json");
    }

    // ---- Invocation ----

    [Fact]
    public async Task Req16_74_77_service_at_baseUrl_cds_services_id_answers_200_with_empty_cards_when_no_guidance()
    {
        var (status, body, type) = await Post(Request());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", type);
        Assert.Equal("""{"cards":[]}""", body!.ToJsonString());
    }

    [Fact]
    public async Task Req54_missing_prefetch_without_a_FHIR_server_is_412_naming_the_keys()
    {
        var (status, body, type) = await Post(Request(prefetch: """{"patient":null}"""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Equal("application/problem+json", type);
        var detail = (string?)body!["detail"];
        Assert.Contains("bcrAbl1", detail);
        Assert.Contains("conditions", detail);
        Assert.Equal(3, body["missing"]!.AsArray().Count);
    }

    [Fact]
    public async Task Req54_no_prefetch_at_all_without_a_FHIR_server_is_412()
    {
        var (status, _, _) = await Post(Request(prefetch: ""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
    }

    [Theory]
    [InlineData("{bad json", "Invalid JSON")]
    [InlineData("", "Invalid JSON")]
    [InlineData("[]", "Invalid JSON")]
    [InlineData("""{"hook":"patient-view","hookInstance":"h","context":{"patientId":"1"},"prefetch":{"bcrAbl1":{"id":"no-type"}}}""", "Invalid JSON")]
    public async Task Malformed_JSON_is_400_problem_details(string body, string title)
    {
        var (status, problem, type) = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(title, (string?)problem!["title"]);
        Assert.DoesNotContain("   at ", problem.ToJsonString());
    }

    public static TheoryData<string, string> MalformedRequests() => new()
    {
        { Request(hook: ""), "Missing hook" },
        { Request(hook: "\"order-sign\""), "Wrong hook" },
        { Request(instance: ""), "Missing hookInstance" },
        { Request(context: ""), "Missing context" },
        { Request(context: """{"userId":"Practitioner/1"}"""), "Missing context.patientId" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Request_missing_a_required_member_is_400_problem_details(string body, string title)
    {
        var (status, problem, _) = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(title, (string?)problem!["title"]);
        Assert.Equal(400, (int?)problem["status"]);
    }

    [Fact]
    public async Task Unknown_service_is_404_problem_details()
    {
        var (status, problem, type) = await Post(Request(), "/cds-services/not-a-service");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("Unknown service", (string?)problem!["title"]);
    }

    // ---- Cards (every golden response) ----

    public static TheoryData<string> GoldenResponses() =>
        new(Directory.GetFiles(ScenarioRoot, "response.json", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(ScenarioRoot, p)).Order());

    [Theory]
    [MemberData(nameof(GoldenResponses))]
    public void Req3_no_member_is_null_or_empty_except_cards(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(ScenarioRoot, file)))!;
        static void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case null: Assert.Fail($"null at {path}"); break;
                case JsonObject o:
                    Assert.True(o.Count > 0, $"empty object at {path}");
                    foreach (var (k, v) in o) Walk(v, $"{path}.{k}");
                    break;
                case JsonArray a:
                    Assert.True(a.Count > 0 || path == "$.cards", $"empty array at {path}");
                    for (var i = 0; i < a.Count; i++) Walk(a[i], $"{path}[{i}]");
                    break;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    Assert.True(s.Length > 0, $"empty string at {path}");
                    break;
            }
        }
        Walk(json, "$");
    }

    [Theory]
    [MemberData(nameof(GoldenResponses))]
    public void Req80_83_85_87_88_90_105_107_115_every_card_is_well_formed(string file)
    {
        var cards = JsonNode.Parse(File.ReadAllText(Path.Combine(ScenarioRoot, file)))!["cards"]!.AsArray();
        var topics = new HashSet<string>();
        foreach (var card in cards)
        {
            Assert.True(Guid.TryParse((string?)card!["uuid"], out _), "uuid");
            var summary = (string)card["summary"]!;
            Assert.InRange(summary.Length, 1, 139);
            Assert.Contains((string?)card["indicator"], new[] { "info", "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace((string?)card["source"]!["label"]));
            if ((string?)card["source"]!["url"] is { } url) Assert.True(Uri.TryCreate(url, UriKind.Absolute, out _), url);
            var topic = card["source"]!["topic"]!;
            Assert.Equal("http://cmlcds.org/fhir/CodeSystem/card-topic", (string?)topic["system"]);
            Assert.True(topics.Add((string)topic["code"]!), "one card per topic");
            var detail = (string)card["detail"]!;
            Assert.Contains("Source", detail);
            Assert.DoesNotContain("Jansen", detail);
            // The results table is carried once per response, by the response card (clinical specification §10).
            if (((string)topic["code"]!).StartsWith("response-", StringComparison.Ordinal)) Assert.Contains("|---|", detail);
        }
    }

    // ---- CORS, errors ----

    [Fact]
    public async Task Req208_CORS_preflight_allows_a_browser_client_with_authorization()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/cds-services/cml-monitoring");
        preflight.Headers.Add("Origin", "https://sandbox.cds-hooks.org");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var response = await Client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(response.Headers.Contains("Access-Control-Allow-Origin"));
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed);
        Assert.Contains("content-type", allowed);
    }

    [Fact]
    public async Task Unexpected_failure_is_500_problem_details_with_a_trace_id_and_no_stack_trace()
    {
        await using var host = await TestHost.StartAsync(configure: b =>
            b.Services.Replace(ServiceDescriptor.Singleton<CmlCds.Hooks.Cards.ICardIds>(new ExplodingIds())));
        var withCards = await File.ReadAllTextAsync(Path.Combine(ScenarioRoot, "eln-12m-failure", "request.json"));
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", Json(withCards));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(JsonNode.Parse(text)!["traceId"]);
        Assert.DoesNotContain("ids exploded", text);
        Assert.DoesNotContain("   at ", text);
    }

    private sealed class ExplodingIds : CmlCds.Hooks.Cards.ICardIds
    {
        public string NewUuid() => throw new InvalidOperationException("ids exploded");
    }
}
