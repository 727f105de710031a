using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>
/// A FHIR server double on Kestrel at 127.0.0.1: it answers a scenario's prefetch data at exactly the URLs the
/// service's templates produce (so a wrong query is a 404), and lets a test inject faults per request.
/// </summary>
public sealed class FhirDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);

    public Uri BaseUrl { get; }
    public ConcurrentQueue<(string PathAndQuery, string? Authorization)> Requests { get; } = new();

    /// <summary>Runs before the normal answer; return true when it has answered.</summary>
    public Func<HttpContext, Task<bool>>? Fault { get; set; }

    private FhirDouble(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <param name="loopback">A loopback address; another one than 127.0.0.1 (e.g. 127.0.0.2) stands for another host.</param>
    public static async Task<FhirDouble> StartAsync(string loopback = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", $"http://{loopback}:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FhirDouble? self = null;
        app.Run(async ctx =>
        {
            var pathAndQuery = Uri.UnescapeDataString(ctx.Request.Path.Value!.TrimStart('/') + ctx.Request.QueryString.Value);
            self!.Requests.Enqueue((pathAndQuery, ctx.Request.Headers.Authorization.FirstOrDefault()));
            if (self.Fault is { } fault && await fault(ctx)) return;
            if (self._answers.TryGetValue(pathAndQuery, out var body))
            {
                ctx.Response.ContentType = "application/fhir+json";
                await ctx.Response.WriteAsync(body);
                return;
            }
            ctx.Response.StatusCode = 404;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FhirDouble(app, new Uri(address + "/fhir/"));
        return self;
    }

    /// <summary>Serves <paramref name="body"/> at a path and query relative to the base (unescaped).</summary>
    public void Answer(string pathAndQuery, string body) => _answers["fhir/" + pathAndQuery] = body;

    /// <summary>Serves every prefetch key of a hook request at the URL its template gives; keys sent as null answer an empty searchset.</summary>
    public void ServePrefetchOf(JsonObject request, HookRequest parsed)
    {
        var prefetch = request["prefetch"]!.AsObject();
        foreach (var key in CmlMonitoringService.PrefetchKeys)
        {
            var query = Uri.UnescapeDataString(PrefetchTemplate.Fill(key.Template, parsed)!);
            var value = prefetch[key.Key];
            Answer(query, value?.ToJsonString() ?? """{"resourceType":"Bundle","type":"searchset","total":0}""");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
