using System.Text.Json.Nodes;
using CmlCds.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CmlCds.Browser.Tests;

/// <summary>
/// Every scenario of cds-hooks/, put into the test FHIR server and opened in headless Chromium in the standalone testing
/// mode (<c>/chart/?iss=&lt;open FHIR server&gt;&amp;patient=&lt;id&gt;</c>): the page reads the data with the service's
/// prefetch queries, asks the service for the evaluation and draws it. Asserted on the SVG and the DOM: one point per
/// BCR::ABL1 result (filled, open or crossed as the service scored it), one bar per TKI line, one mark per mutation
/// result, the bands and the three level lines; the category shown is the golden response card's; keyboard focus
/// reaches the points and the results table. A screenshot per scenario goes to artifacts/browser/.
/// </summary>
[Collection(ChartCollection.Name)]
public sealed class ChartScenarioTests(ChartFixture fixture)
{
    public static TheoryData<string> Scenarios() => new(ChartFixture.Scenarios());

    /// <summary>Counted by hand from the samples: (points, of which set aside, TKI bars, mutation marks).</summary>
    private static readonly Dictionary<string, (int Points, int SetAside, int Bars, int Mutations)> Expected = new(StringComparer.Ordinal)
    {
        ["t315i-on-imatinib"] = (4, 0, 1, 1),
        ["mutation-report-f317l-detected-t315i-not"] = (3, 0, 1, 1),
        ["intolerance-switch-loss-of-mmr"] = (3, 0, 2, 0),
        ["dose-change-same-line-12m-warning"] = (3, 0, 1, 0),
        ["tfr-retreatment-mmr-regained"] = (5, 0, 2, 0),
        ["non-is-result"] = (3, 1, 1, 0),
        ["undetectable-600-abl1-copies-not-evaluable"] = (3, 1, 1, 0),
        ["same-day-results-disagree"] = (4, 1, 1, 0),
        ["non-cml-patient"] = (0, 0, 0, 0),
    };

    [BrowserTheory]
    [MemberData(nameof(Scenarios))]
    public async Task The_chart_draws_the_services_evaluation_of_the_patient(string scenario)
    {
        var host = await fixture.HostFor(scenario);
        var request = ChartFixture.Read(scenario, "request.json");
        var patient = (string)request["context"]!["patientId"]!;
        var page = await fixture.NewPageAsync();
        var evaluation = await OpenAsync(page, new Uri(host.BaseAddress, $"/chart/?iss={Uri.EscapeDataString(fixture.Open.BaseUrl.AbsoluteUri)}&patient={patient}"));

        var results = evaluation["results"]!.AsArray();
        var lines = evaluation["lines"]!.AsArray();
        var mutations = evaluation["mutations"]!.AsArray();
        var bands = evaluation["milestones"]?["bands"]?.AsArray().Count ?? 0;
        int Count(Func<JsonNode, bool> where) => results.Count(r => where(r!));

        // Nothing dropped: one result per BCR::ABL1 Observation of the sample, used or set aside.
        Assert.Equal(Entries(request, "bcrAbl1"), results.Count);
        if (Expected.TryGetValue(scenario, out var expected))
        {
            Assert.Equal(expected.Points, results.Count);
            Assert.Equal(expected.SetAside, Count(r => (bool)r["setAside"]!));
            Assert.Equal(expected.Bars, lines.Count);
            Assert.Equal(expected.Mutations, mutations.Count);
        }

        if (results.Count + lines.Count > 0)
        {
            Assert.Equal(results.Count, await page.Locator("#chart-svg .point").CountAsync());
            Assert.Equal(Count(r => (bool)r["setAside"]!), await page.Locator("#chart-svg .point-set-aside").CountAsync());
            Assert.Equal(Count(r => !(bool)r["setAside"]! && (bool)r["undetectable"]!), await page.Locator("#chart-svg .point-undetectable").CountAsync());
            Assert.Equal(Count(r => !(bool)r["setAside"]! && !(bool)r["undetectable"]!), await page.Locator("#chart-svg .point-detected").CountAsync());
            Assert.Equal(lines.Count, await page.Locator("#chart-svg .tki-bar").CountAsync());
            Assert.Equal(lines.Count(l => (string?)l!["ending"] == "stopped"), await page.Locator("#chart-svg .tki-stop").CountAsync());
            Assert.Equal(mutations.Count, await page.Locator("#chart-svg .mutation-mark").CountAsync());
            Assert.Equal(bands, await page.Locator("#chart-svg .band").CountAsync());
            Assert.Equal(["MMR", "MR4", "MR4.5"], await page.Locator("#chart-svg .level-line").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.level)"));
        }
        else
        {
            Assert.False(await page.Locator("#chart-section").IsVisibleAsync());
        }
        Assert.Equal(results.Count, await page.Locator("#results tbody tr").CountAsync());
        Assert.Equal(Count(r => (bool)r["setAside"]!), await page.Locator("#results tbody tr.set-aside").CountAsync());

        await AssertAgreesWithTheCards(page, scenario);
        if (results.Count > 0) await AssertKeyboardReachesPointsAndTable(page, results);
        await page.ScreenshotAsync(new() { Path = ChartFixture.Artifact($"{scenario}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    /// <summary>Opens the chart and waits until it has drawn (or said why not); returns the service's evaluation the page received.</summary>
    internal static async Task<JsonObject> OpenAsync(IPage page, Uri url)
    {
        var evaluated = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Response += async (_, r) =>
        {
            if (!r.Url.EndsWith("/chart/evaluate", StringComparison.Ordinal)) return;
            try { evaluated.TrySetResult(JsonNode.Parse(await r.TextAsync())!.AsObject()); }
            catch (PlaywrightException e) { evaluated.TrySetException(e); }
        };
        await page.GotoAsync(url.AbsoluteUri);
        await page.WaitForFunctionAsync("() => document.body.dataset.ready", null, new() { Timeout = 60_000 });
        var ready = await page.EvaluateAsync<string>("() => document.body.dataset.ready");
        Assert.True(ready == "true", $"the chart did not draw: {await page.Locator("#status").TextContentAsync()}");
        return await evaluated.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static int Entries(JsonObject request, string key) =>
        request["prefetch"]?[key] is JsonObject { } bundle && bundle["entry"] is JsonArray entries ? entries.Count : 0;

    /// <summary>The page shows the service's own category for the latest result: the golden response card's, and every card's summary.</summary>
    internal static async Task AssertAgreesWithTheCards(IPage page, string scenario)
    {
        var golden = ChartFixture.Read(scenario, "response.json")["cards"]!.AsArray();
        var response = golden.FirstOrDefault(c => ((string)c!["source"]!["topic"]!["code"]!).StartsWith("response-", StringComparison.Ordinal));
        var category = await page.Locator("#latest-category").GetAttributeAsync("data-category");
        Assert.Equal(response is null ? "none" : ((string)response["source"]!["topic"]!["code"]!)["response-".Length..], category);
        if (response is not null)
            Assert.Contains($"{(string)response["source"]!["label"]!}", await page.Locator("#latest-category").TextContentAsync());
        var shown = await page.Locator("#cards li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.topic + ' ' + e.textContent)");
        Assert.Equal(golden.Select(c => $"{c!["source"]!["topic"]!["code"]} {c["indicator"]} {c["summary"]}"), shown);
    }

    /// <summary>Tab from the top of the page reaches the first point (its tooltip says date, value, level, months), the arrow key the next, and Tab goes on to the table.</summary>
    private static async Task AssertKeyboardReachesPointsAndTable(IPage page, JsonArray results)
    {
        var stops = await page.Locator("[tabindex='0'], button:visible").CountAsync() + 5;
        await page.Locator("body").FocusAsync();
        string? focused = null;
        for (var i = 0; i < stops && focused is null; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("() => document.activeElement.classList.contains('point')")) focused = "point";
        }
        Assert.True(focused == "point", "Tab never reached a point of the chart");
        Assert.Equal("0", await page.EvaluateAsync<string>("() => document.activeElement.dataset.index"));
        var first = results[0]!;
        var tooltip = page.Locator("#tooltip");
        Assert.True(await tooltip.IsVisibleAsync());
        var text = await tooltip.TextContentAsync() ?? "";
        Assert.Contains((string)first["date"]!, text, StringComparison.Ordinal);
        Assert.Contains((string)first["value"]!, text, StringComparison.Ordinal);
        if (first["monthsOnTki"] is { } months) Assert.Contains($"{months} months on", text, StringComparison.Ordinal);
        if (results.Count > 1)
        {
            await page.Keyboard.PressAsync("ArrowRight");
            Assert.Equal("1", await page.EvaluateAsync<string>("() => document.activeElement.dataset.index"));
        }
        var reachedTable = false;
        for (var i = 0; i < stops && !reachedTable; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reachedTable = await page.EvaluateAsync<bool>("() => document.activeElement.id === 'results-region'");
        }
        Assert.True(reachedTable, "Tab never reached the results table");
    }
}
