using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Browser.Tests.Infrastructure;

namespace CmlCds.Browser.Tests;

/// <summary>
/// The EHR launch as the CDS Hooks sandbox does it from the card's <c>smart</c> link: the launch context from the FHIR
/// server's <c>_services/smart/Launch</c>, then the link opened with <c>iss</c> and <c>launch</c>. The FHIR server is the
/// test server's SMART double, which refuses every FHIR request without one of its tokens: the chart draws only if the
/// app completed the authorization-code flow with PKCE (S256) and read with the token it got.
/// </summary>
[Collection(ChartCollection.Name)]
public sealed class SmartLaunchTests(ChartFixture fixture)
{
    public static TheoryData<string> Scenarios() => new(ChartFixture.SmartScenarios);

    [BrowserTheory]
    [MemberData(nameof(Scenarios))]
    public async Task The_card_link_launches_the_chart_with_PKCE_and_the_patient_in_context(string scenario)
    {
        var host = await fixture.HostFor(scenario);
        var request = ChartFixture.Read(scenario, "request.json");
        var patient = (string)request["context"]!["patientId"]!;

        // The card the EHR shows carries the smart link.
        using var hook = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var cards = JsonNode.Parse(await hook.Content.ReadAsStringAsync())!["cards"]!.AsArray();
        var link = cards.SelectMany(c => c!["links"]?.AsArray() ?? []).First(l => (string)l!["type"]! == "smart")!;
        var linkUrl = new Uri((string)link["url"]!);
        Assert.Equal("/chart/", linkUrl.AbsolutePath);

        // The sandbox's step: a launch context from the FHIR server for this link and patient.
        var smart = fixture.Smart.BaseUrl;
        var before = await Stats(smart);
        using var launch = await fixture.Smart.Client.PostAsJsonAsync(new Uri(smart, "_services/smart/Launch"),
            new { launchUrl = linkUrl.AbsoluteUri, parameters = new { patient } });
        launch.EnsureSuccessStatusCode();
        var launchId = (string)JsonNode.Parse(await launch.Content.ReadAsStringAsync())!["launch_id"]!;

        // The link opened as the sandbox opens it (on the test service's address: the link names the default port).
        var page = await fixture.NewPageAsync();
        var url = new Uri(host.BaseAddress, $"{linkUrl.AbsolutePath}?launch={launchId}&iss={Uri.EscapeDataString(smart.AbsoluteUri.TrimEnd('/'))}");
        await ChartScenarioTests.OpenAsync(page, url);
        await ChartScenarioTests.AssertAgreesWithTheCards(page, scenario);

        var after = await Stats(smart);
        Assert.Equal(1, after["authorized"] - before["authorized"]);
        Assert.Equal(1, after["tokensIssued"] - before["tokensIssued"]);
        Assert.Equal(0, after["pkceRefused"] - before["pkceRefused"]);
        // Every prefetch query (and its pages) went with the token.
        Assert.True(after["fhirRequestsWithToken"] - before["fhirRequestsWithToken"] >= 8, "the FHIR reads did not all carry the token");
        // The spent code is out of the address bar.
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = ChartFixture.Artifact($"ehr-launch-{scenario}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task A_launch_the_EHR_does_not_authorize_is_said_on_the_page()
    {
        var host = await fixture.HostFor("t315i-on-imatinib");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, $"/chart/?launch=not-a-launch&iss={Uri.EscapeDataString(fixture.Smart.BaseUrl.AbsoluteUri)}").AbsoluteUri);
        await page.WaitForFunctionAsync("() => document.body.dataset.ready", null, new() { Timeout = 60_000 });
        Assert.Equal("error", await page.EvaluateAsync<string>("() => document.body.dataset.ready"));
        Assert.Contains("did not authorize the chart: unknown launch", await page.Locator("#status").TextContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task An_open_server_without_a_patient_is_told_how_to_use_the_testing_mode()
    {
        var host = await fixture.HostFor("t315i-on-imatinib");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, $"/chart/?iss={Uri.EscapeDataString(fixture.Open.BaseUrl.AbsoluteUri)}&launch=x").AbsoluteUri);
        await page.WaitForFunctionAsync("() => document.body.dataset.ready", null, new() { Timeout = 60_000 });
        Assert.Equal("error", await page.EvaluateAsync<string>("() => document.body.dataset.ready"));
        Assert.Contains("publishes no SMART configuration", await page.Locator("#status").TextContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private async Task<Dictionary<string, int>> Stats(Uri smart) =>
        (await fixture.Smart.Client.GetFromJsonAsync<Dictionary<string, int>>(new Uri(smart, "/auth/_stats")))!;
}
