using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 19: OpenTelemetry, off by default, exported by OTLP when <c>Telemetry:OtlpEndpoint</c> is set. The service runs
/// as its own process (spans and meters are process-wide) with an OTLP collector double on 127.0.0.1; one hook call that
/// reads its data from a FHIR server yields the hook span, its stages and a span per FHIR query, and the call, card, stage,
/// FHIR-query, JWT-refusal and audit-queue metrics. No patient id, name, token or FHIR URL is in any exported string.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class TelemetryTests
{
    private const string Family = "Quixotesque";
    private const string Given = "Philomena";
    private const string FhirToken = "fhir-access-token-for-telemetry-test";

    private OtlpCollector? _collector;

    private async Task WaitFor(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"waited 90 s for {what}; received spans [{string.Join(", ", _collector!.Spans.Select(s => s.Name))}], metrics [{string.Join(", ", _collector.Points.Select(p => p.Metric).Distinct())}]");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task One_hook_call_exports_its_spans_and_metrics_without_PHI_tokens_or_FHIR_URLs()
    {
        await using var collector = _collector = await OtlpCollector.StartAsync();
        await using var fhir = await FhirDouble.StartAsync();
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
        request["prefetch"]!["patient"]!["name"] = new JsonArray(new JsonObject { ["family"] = Family, ["given"] = new JsonArray(Given) });
        var parsed = System.Text.Json.JsonSerializer.Deserialize(request.ToJsonString(), CmlCds.Hooks.Json.CdsHooksJson.HookRequest)!;
        fhir.ServePrefetchOf(request, parsed);
        var patientId = (string)request["context"]!["patientId"]!;
        request.Remove("prefetch"); // every key read from the FHIR server
        request["fhirServer"] = fhir.BaseUrl.AbsoluteUri;
        request["fhirAuthorization"] = new JsonObject { ["access_token"] = FhirToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/*.read", ["subject"] = "cml-cds" };

        var client = new ScaleOutTests.Client();
        var port = Ports.Free();
        var service = await DurabilityTests.StartProcess(port,
        [
            .. client.Settings, $"--CdsHooks:Auth:TrustedIssuers:0:FhirServers:0={fhir.BaseUrl.AbsoluteUri}",
            $"--Telemetry:OtlpEndpoint={collector.BaseUrl.AbsoluteUri}", "--Telemetry:MetricExportIntervalMs=200", "--Telemetry:TraceExportDelayMs=100",
        ]);
        var jwt = client.Token();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            using var call = new HttpRequestMessage(HttpMethod.Post, "/cds-services/cml-monitoring") { Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json") };
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
            using var response = await http.SendAsync(call);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var cards = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]!.AsArray();
            Assert.NotEmpty(cards);
            Assert.NotEmpty(fhir.Requests);
            using var bad = new HttpRequestMessage(HttpMethod.Post, "/cds-services/cml-monitoring") { Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json") };
            bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt); // the same token again: a replay
            using var refused = await http.SendAsync(bad);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            // Spans: the request, the hook call under it, its two stages, and a FHIR query per prefetch key fetched.
            await WaitFor(() => collector.Spans.Count(s => s.Name == "fhir.query") >= 5 && collector.Spans.Any(s => s.Name == "evaluate")
                && collector.Spans.Any(s => s.Name.StartsWith("POST", StringComparison.Ordinal)), "the hook call's spans");
            var spans = collector.Spans.ToList();
            var hook = Assert.Single(spans, s => s.Name == "patient-view");
            Assert.Equal("cml-monitoring", hook.Attributes["cds.service"]);
            Assert.Equal("200", hook.Attributes["http.response.status_code"]);
            Assert.Equal(cards.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), hook.Attributes["cds.cards"]);
            Assert.Contains(spans, s => s.SpanId == hook.ParentSpanId && s.Name.StartsWith("POST", StringComparison.Ordinal));
            Assert.All(new[] { "resolve", "evaluate" }, stage => Assert.Contains(spans, s => s.Name == stage && s.ParentSpanId == hook.SpanId));
            var queries = spans.Where(s => s.Name == "fhir.query").ToList();
            Assert.All(queries, q => Assert.Equal(hook.SpanId, q.ParentSpanId));
            Assert.Contains(queries, q => q.Attributes["fhir.resource_type"] == "Observation" && q.Attributes["outcome"] == "ok");
            Assert.Contains(queries, q => q.Attributes["fhir.resource_type"] == "Patient");

            // Metrics.
            bool Has(string metric, Func<ExportedPoint, bool> where) => collector.Points.Any(p => p.Metric == metric && where(p));
            var topic = (string)cards[0]!["source"]!["topic"]!["code"]!;
            var indicator = (string)cards[0]!["indicator"]!;
            await WaitFor(() =>
                Has("cmlcds.hook.calls", p => p.Attributes.GetValueOrDefault("http.response.status_code") == "200" && p.Value >= 1)
                && Has("cmlcds.cards", p => p.Attributes.GetValueOrDefault("topic") == topic && p.Attributes.GetValueOrDefault("indicator") == indicator && p.Value >= 1)
                && Has("cmlcds.hook.stage.duration", p => p.Attributes.GetValueOrDefault("stage") == "resolve" && p.Value >= 1)
                && Has("cmlcds.hook.stage.duration", p => p.Attributes.GetValueOrDefault("stage") == "evaluate" && p.Value >= 1)
                && Has("cmlcds.fhir.query.duration", p => p.Attributes.GetValueOrDefault("fhir.resource_type") == "Observation" && p.Value >= 1)
                && Has("cmlcds.jwt.refusals", p => p.Attributes.GetValueOrDefault("reason") == "jti replayed" && p.Value >= 1)
                && Has("cmlcds.audit.queue.depth", _ => true)
                && Has("http.server.request.duration", _ => true),
                "the expected metrics");

            // Nothing that names the patient or carries a secret or a FHIR URL, in any span, metric or resource string.
            var forbidden = new[] { patientId, Family, Given, jwt, jwt.Split('.')[2], FhirToken, fhir.BaseUrl.AbsoluteUri, fhir.BaseUrl.Authority, "patient=" };
            var strings = collector.Strings.ToList();
            Assert.NotEmpty(strings);
            foreach (var value in forbidden)
                Assert.DoesNotContain(strings, s => s.Contains(value, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            File.Delete(client.JwksFile);
        }
    }

    [Fact]
    public async Task Telemetry_is_off_by_default()
    {
        await using var host = await TestHost.StartAsync();
        Assert.Null(host.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.Null(host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }
}
