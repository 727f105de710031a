using CmlCds.Browser.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace CmlCds.Browser.Tests;

/// <summary>Hover, the EHR's narrow iframe and the print view of one patient's chart.</summary>
[Collection(ChartCollection.Name)]
public sealed class LayoutTests(ChartFixture fixture)
{
    private const string Scenario = "tfr-retreatment-mmr-regained";

    private async Task<Uri> ChartUrl() =>
        new((await fixture.HostFor(Scenario)).BaseAddress, $"/chart/?iss={Uri.EscapeDataString(fixture.Open.BaseUrl.AbsoluteUri)}&patient={Scenario}");

    [BrowserFact]
    public async Task Hovering_a_point_shows_its_date_value_level_and_months_on_TKI()
    {
        var page = await fixture.NewPageAsync();
        var evaluation = await ChartScenarioTests.OpenAsync(page, await ChartUrl());
        var last = evaluation["results"]!.AsArray().Count - 1;
        var result = evaluation["results"]![last]!;
        await page.Locator($"#chart-svg .point[data-index='{last}']").HoverAsync();
        var text = await page.Locator("#tooltip").TextContentAsync() ?? "";
        Assert.True(await page.Locator("#tooltip").IsVisibleAsync());
        Assert.Contains((string)result["date"]!, text, StringComparison.Ordinal);
        Assert.Contains((string)result["value"]!, text, StringComparison.Ordinal);
        Assert.Contains((string)result["level"]!, text, StringComparison.Ordinal);
        Assert.Contains($"{result["monthsOnTki"]} months on {result["drug"]}", text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task In_a_360_pixel_iframe_the_chart_fits_without_sideways_scrolling()
    {
        var page = await fixture.NewPageAsync(width: 420, height: 900);
        var url = await ChartUrl();
        // The EHR's page, on an origin of its own on 127.0.0.1 (frame-ancestors allows any origin in open Development
        // mode, the EHRs' origins otherwise; Chromium's local-network checks keep a non-local page from framing 127.0.0.1).
        await using var ehr = await EhrPage.StartAsync($"<!doctype html><body style='margin:0'><iframe id='ehr' src='{url.AbsoluteUri}' width='360' height='1400' style='border:0'></iframe></body>");
        await page.GotoAsync(ehr.Url.AbsoluteUri);
        var frame = page.FrameLocator("#ehr");
        await frame.Locator("body[data-ready='true']").WaitForAsync(new() { Timeout = 60_000 });
        var inner = page.Frames.Single(f => f.Url.StartsWith(url.GetLeftPart(UriPartial.Path), StringComparison.Ordinal));
        var widths = await inner.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.getElementById('chart-svg').getBoundingClientRect().right]");
        Assert.True(widths[0] <= widths[1], $"the page scrolls sideways: {widths[0]} > {widths[1]}");
        Assert.True(widths[2] <= 360, $"the chart is wider than the frame: {widths[2]}");
        Assert.True(await frame.Locator("#chart-svg .point").CountAsync() > 0);
        await page.ScreenshotAsync(new() { Path = ChartFixture.Artifact("narrow-iframe.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task The_print_view_keeps_the_chart_and_the_table_and_drops_the_controls()
    {
        var page = await fixture.NewPageAsync();
        await ChartScenarioTests.OpenAsync(page, await ChartUrl());
        Assert.True(await page.Locator("#print").IsVisibleAsync());
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator("#print").IsVisibleAsync());
        Assert.False(await page.Locator("#chart-section .hint").IsVisibleAsync());
        Assert.True(await page.Locator("#chart-svg").IsVisibleAsync());
        Assert.True(await page.Locator("#results").IsVisibleAsync());
        await page.ScreenshotAsync(new() { Path = ChartFixture.Artifact("print-view.png"), FullPage = true });
        var pdf = await page.PdfAsync(new() { Path = ChartFixture.Artifact("print-view.pdf"), Format = "A4", PrintBackground = true });
        Assert.True(pdf.Length > 1000);
        await page.Context.CloseAsync();
    }
}

/// <summary>A one-page "EHR" on a free port of 127.0.0.1 that frames the chart.</summary>
internal sealed class EhrPage : IAsyncDisposable
{
    private readonly WebApplication _app;
    public Uri Url { get; }

    private EhrPage(WebApplication app, Uri url) { _app = app; Url = url; }

    public static async Task<EhrPage> StartAsync(string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(html, "text/html"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        return new EhrPage(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
