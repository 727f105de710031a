using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmlCds.Api.Apis;
using CmlCds.Api.Security;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Hooks.Cards;

namespace CmlCds.Api.Tests;

/// <summary>
/// The response chart's service side (issue 20): <c>POST /chart/evaluate</c> gives, for the resources a page read, the
/// same cards as the hook and the category of the response card; it is same-origin, bounded and stateless; the built
/// page is served from the assembly with a CSP that lets an EHR frame it.
/// </summary>
public sealed partial class ChartApiTests : IClassFixture<HostFixture>
{
    private readonly TestHost _host;
    public ChartApiTests(HostFixture fixture) => _host = fixture.Host;

    public static TheoryData<string> Scenarios() => new(GoldenScenarios.Names());

    private static string ChartBody(string scenario)
    {
        var request = JsonNode.Parse(File.ReadAllText(GoldenScenarios.File(scenario, "request.json")))!.AsObject();
        return new JsonObject { ["context"] = request["context"]!.DeepClone(), ["prefetch"] = request["prefetch"]?.DeepClone() }.ToJsonString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_evaluation_of_a_scenario_carries_its_golden_cards_and_the_response_cards_category(string scenario)
    {
        var settingsPath = GoldenScenarios.File(scenario, "settings.json");
        await using var own = File.Exists(settingsPath)
            ? await TestHost.StartAsync(JsonSerializer.Deserialize<Dictionary<string, string?>>(await File.ReadAllTextAsync(settingsPath)))
            : null;
        using var response = await (own ?? _host).Client.PostAsync("/chart/evaluate", Json(ChartBody(scenario)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var chart = JsonNode.Parse(body)!;

        var golden = GoldenScenarios.Golden(scenario)["cards"]!.AsArray();
        Assert.Equal(golden.Select(c => $"{c!["source"]!["topic"]!["code"]} {c["indicator"]} {c["summary"]}"),
            chart["cards"]!.AsArray().Select(c => $"{c!["topic"]} {c["indicator"]} {c["summary"]}"));
        var responseCard = golden.FirstOrDefault(c => ((string)c!["source"]!["topic"]!["code"]!).StartsWith("response-", StringComparison.Ordinal));
        if (responseCard is null) Assert.Null(chart["latest"]);
        else
        {
            Assert.Equal(((string)responseCard["source"]!["topic"]!["code"]!)["response-".Length..], (string)chart["latest"]!["category"]!);
            Assert.Equal((string)responseCard["summary"]!, (string)chart["latest"]!["summary"]!);
        }
        // Every BCR::ABL1 result of the request is on the chart, used or set aside with a reason.
        var results = chart["results"]!.AsArray();
        var request = JsonNode.Parse(File.ReadAllText(GoldenScenarios.File(scenario, "request.json")))!;
        Assert.Equal(request["prefetch"]?["bcrAbl1"]?["entry"]?.AsArray().Count ?? 0, results.Count);
        Assert.All(results, r => Assert.True(!(bool)r!["setAside"]! || ((string?)r["reason"])?.Length > 0, $"{r} is set aside without a reason"));
        // The reasons are clinician-facing: no resource ids.
        Assert.All(results, r => Assert.DoesNotContain("Observation/", (string?)r!["reason"] ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bands_follow_the_guideline_table_at_the_days_of_the_current_line()
    {
        using var response = await _host.Client.PostAsync("/chart/evaluate", Json(ChartBody("t315i-on-imatinib")));
        var chart = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var milestones = chart["milestones"]!;
        var start = DateOnly.Parse((string)milestones["lineStart"]!, System.Globalization.CultureInfo.InvariantCulture);
        var bands = milestones["bands"]!.AsArray();
        // ELN 2020: 2 rows at 3 months, 3 at 6, 3 at 12 (Table 5), from day 70, 150 and 330 of the line.
        Assert.Equal([2, 3, 3], bands.GroupBy(b => (string)b!["milestone"]!).Select(g => g.Count()));
        Assert.Equal(start.AddDays(70).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string)bands[0]!["from"]!);
        Assert.Contains(bands, b => (string)b!["milestone"]! == "12 months and any time after" && (double?)b["above"] == 1 && (string)b["category"]! == "failure");
        Assert.Equal(["MMR", "MR4", "MR4.5", "MR5"], chart["levels"]!.AsArray().Select(l => (string)l!["label"]!));
    }

    [Fact]
    public async Task Behind_a_proxy_the_page_served_at_the_public_base_URL_may_post_though_the_Host_the_service_sees_differs()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["CdsHooks:Auth:PublicBaseUrl"] = "https://cds.example.org" });
        using var proxied = new HttpRequestMessage(HttpMethod.Post, "/chart/evaluate") { Content = Json(ChartBody("eln-12m-failure")) };
        proxied.Headers.Add("Origin", "https://cds.example.org");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(proxied)).StatusCode);

        using var other = new HttpRequestMessage(HttpMethod.Post, "/chart/evaluate") { Content = Json(ChartBody("eln-12m-failure")) };
        other.Headers.Add("Origin", "https://cds.example.org.evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(other)).StatusCode);
    }

    [Fact]
    public async Task A_request_from_another_origin_is_refused_and_gets_no_CORS_answer()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/chart/evaluate") { Content = Json(ChartBody("eln-12m-failure")) };
        foreign.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client.SendAsync(foreign)).StatusCode);

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/chart/evaluate") { Content = Json(ChartBody("eln-12m-failure")) };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client.SendAsync(crossSite)).StatusCode);

        using var same = new HttpRequestMessage(HttpMethod.Post, "/chart/evaluate") { Content = Json(ChartBody("eln-12m-failure")) };
        same.Headers.Add("Origin", _host.BaseAddress.GetLeftPart(UriPartial.Authority));
        same.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.SendAsync(same)).StatusCode);

        // Open Development mode answers any origin on the CDS Hooks endpoints; the chart's endpoint stays out of CORS.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/chart/evaluate");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var answer = await _host.Client.SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("text/plain", "{}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{not json", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "[]", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "{\"prefetch\":{}}", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "{\"context\":{\"patientId\":\"p/1\"},\"prefetch\":{}}", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "{\"context\":{\"patientId\":\"p1\"},\"prefetch\":{\"bcrAbl1\":null}}", HttpStatusCode.BadRequest)]
    public async Task Bad_input_is_a_clear_4xx(string contentType, string body, HttpStatusCode expected)
    {
        using var response = await _host.Client.PostAsync("/chart/evaluate", new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("\"title\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_never_queries_a_FHIR_server_named_in_the_body()
    {
        await using var fhir = await FhirDouble.StartAsync();
        var body = JsonNode.Parse(ChartBody("eln-12m-failure"))!.AsObject();
        body["prefetch"]!.AsObject().Remove("bcrAbl1");
        body["fhirServer"] = fhir.BaseUrl.AbsoluteUri;
        using var response = await _host.Client.PostAsync("/chart/evaluate", Json(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bcrAbl1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(fhir.Requests);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "2000" });
        using var response = await host.Client.PostAsync("/chart/evaluate", Json(ChartBody("tfr-eligible-eln")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Nothing_of_the_body_is_logged()
    {
        const string name = "Vandenbroucke-Oyelaran";
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
        }, b => b.Logging.AddProvider(logs));
        var body = JsonNode.Parse(ChartBody("eln-12m-failure"))!.AsObject();
        var patientId = (string)body["context"]!["patientId"]!;
        body["prefetch"]!["patient"] = JsonNode.Parse($$"""{"resourceType":"Patient","id":"{{patientId}}","birthDate":"1968-04-12","name":[{"family":"{{name}}"}]}""");
        using var response = await host.Client.PostAsync("/chart/evaluate", Json(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(logs.Messages, m => m.Contains("chart evaluate:", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(name, StringComparison.Ordinal) || m.Contains(patientId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_page_is_served_with_its_assets_and_a_CSP_that_lets_the_EHR_frame_it()
    {
        using var page = await _host.Client.GetAsync("/chart/?iss=http://127.0.0.1/fhir&patient=p1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.False(page.Headers.Contains("X-Frame-Options"));
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors *", csp, StringComparison.Ordinal); // open Development mode
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

        var html = await page.Content.ReadAsStringAsync();
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var file = await _host.Client.GetAsync(asset);
            Assert.True(file.StatusCode == HttpStatusCode.OK, asset);
            Assert.Contains(asset["/chart/".Length..], ChartApi.Files());
        }
        // No CDN: the page loads nothing from another host.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
        using var bare = await noRedirects.GetAsync("/chart?iss=x");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/chart/?iss=x", bare.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/chart/assets/nothing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/chart/..%2Fappsettings.json")).StatusCode);
    }

    [Fact]
    public async Task The_page_reads_with_the_services_own_prefetch_queries()
    {
        var config = JsonNode.Parse(await _host.Client.GetStringAsync("/chart/config"))!;
        var discovery = JsonNode.Parse(await _host.Client.GetStringAsync("/cds-services"))!["services"]![0]!["prefetch"]!.AsObject();
        Assert.Equal(discovery.Select(p => $"{p.Key} {p.Value}"), config["queries"]!.AsArray().Select(q => $"{q!["key"]} {q["query"]}"));
        var scope = ((string)config["scope"]!).Split(' ');
        Assert.Contains("launch", scope);
        Assert.Contains("patient/Observation.read", scope);
        Assert.Contains("patient/MedicationRequest.read", scope);
        // A read scope for every resource type a prefetch query reads: an EHR enforcing scopes must not refuse one.
        foreach (var query in config["queries"]!.AsArray())
            Assert.Contains($"patient/{((string)query!["query"]!).Split('?', '/')[0]}.read", scope);
    }

    [Theory]
    [InlineData(null, null, null, true, CardRenderer.DefaultChartLaunchUrl)]
    [InlineData(null, null, "http://127.0.0.1:0", true, CardRenderer.DefaultChartLaunchUrl)]
    [InlineData(null, null, "http://*:8080", true, CardRenderer.DefaultChartLaunchUrl)]
    [InlineData(null, null, "http://localhost:5081", true, "http://localhost:5081/chart/")]
    [InlineData(null, "https://cds.example.org/", null, false, "https://cds.example.org/chart/")]
    [InlineData("https://charts.example.org/cml/", "https://cds.example.org", null, false, "https://charts.example.org/cml/")]
    [InlineData(null, null, "http://localhost:5081", false, null)]
    public void The_card_link_points_where_the_chart_is_served(string? launchUrl, string? publicBaseUrl, string? urls, bool development, string? expected) =>
        Assert.Equal(expected, ChartApi.LaunchUrl(new ChartOptions { LaunchUrl = launchUrl }, new TrustOptions { PublicBaseUrl = publicBaseUrl }, urls, development));

    [Fact]
    public void A_launch_url_that_is_no_http_url_stops_start_up() =>
        Assert.Throws<StartupRefusedException>(() => ChartApi.LaunchUrl(new ChartOptions { LaunchUrl = "chart" }, new TrustOptions(), null, true));

    [GeneratedRegex("(?:src|href)=\"(/chart/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();
}
