using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Tests.Shared;
using Xunit.Abstractions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 17 item 4: under a hostile FHIR server (every page 14.7 MB, just under the 16 MiB page cap, each with a next
/// link) the service, run as its own process the way the Kubernetes Deployment runs it, keeps answering (a 4xx, never
/// a 500 or a crash) and its memory stays bounded: 4 concurrent calls, 5 rounds, the resident set after the last round
/// within <see cref="BoundMiB"/> MiB of the first and every round under the Deployment's memory limit. The figures are
/// printed; no timing is asserted.
/// Each page holds 48,000 entries: streamed entry by entry, a query stops at its 5,000th resource and a call at its
/// 10,000th (FhirServer:MaxResourcesPerQuery/PerCall), so a call holds tens of MB, not the 55 MB of model of a page
/// per query. Measured 2026-12-01 on a loaded 2-core machine: 135–228 MiB after rounds 1–5 (was 310 after round 1
/// when pages were read whole and bounded in bytes only).
/// "As the Deployment runs it" (deploy/kubernetes/deployment.yaml, read by <see cref="DeploymentManifest"/>): its environment
/// (workstation GC, glibc's arenas capped at 2) and the heap limit .NET sets itself in a container with the
/// Deployment's memory limit, 75% of it (384 MiB of 512Mi). The test first ran the service with the Web SDK's server
/// GC, default arenas and a 512 MiB heap limit, which is not how the service runs anywhere it is deployed. One CI run
/// of that (2026-12-02) read 168, 230, 271, 328, 364 MiB, over the bound; the same test on the development machine read
/// 134–240 MiB in six runs, three of them beside two competing CPU hogs, and the CI reading was not reproduced (server
/// GC's larger allocation budgets are the likely difference; not confirmed). As deployed it read 129–192 MiB in nine
/// runs, five of them beside the hogs.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class MemoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// How far the resident set after round 5 may lie above the one after round 1. As deployed it rose at most 38 MiB
    /// in nine runs (2026-12-02, five beside two CPU hogs); with the per-call bounds lifted (per-query bound only) it
    /// rose 211 MiB (129 to 340), which this bound refuses.
    /// </summary>
    private const long BoundMiB = 160;
    private const int PageBytes = 14_700_000;

    [Fact]
    public async Task A_hostile_FHIR_server_does_not_exhaust_memory_within_the_Deployments_memory_limit()
    {
        await using var hostile = await HostileServer.StartAsync(PageBytes);
        var port = Ports.Free();
        var deployment = DeploymentManifest.Read(Repo.Root);
        var environment = new Dictionary<string, string>(deployment.Environment) { ["DOTNET_GCHeapHardLimit"] = deployment.HeapHardLimit };
        var service = await DurabilityTests.StartProcess(port,
            [$"--ConnectionStrings:CmlCds=Data Source={Path.Combine(Path.GetTempPath(), $"cmlcds-memory-{Guid.NewGuid():N}.db")}", "--FhirServer:DeadlineMs=20000"],
            environment);
        try
        {
            var request = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
            request.Remove("prefetch");
            request["fhirServer"] = hostile.BaseUrl;
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
            var startMiB = ResidentMiB(service);
            var rounds = new List<long>();
            var statuses = new List<HttpStatusCode>();
            for (var round = 0; round < 5; round++)
            {
                var calls = Enumerable.Range(0, 4).Select(async _ =>
                {
                    using var response = await client.PostAsync("/cds-services/cml-monitoring", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True((int)response.StatusCode < 500, $"HTTP {(int)response.StatusCode}: {body}");
                    return response.StatusCode;
                });
                statuses.AddRange(await Task.WhenAll(calls));
                Assert.False(service.HasExited, "the service exited");
                rounds.Add(ResidentMiB(service));
            }
            using (var health = await client.GetAsync("/healthz")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            output.WriteLine($"as deployed: {string.Join(", ", environment.Select(e => $"{e.Key}={e.Value}"))} (memory limit {deployment.MemoryLimitMiB} MiB)");
            output.WriteLine($"resident set: {startMiB} MiB at start; after rounds 1-5: {string.Join(", ", rounds)} MiB (bound: round 5 <= round 1 + {BoundMiB} MiB, every round < {deployment.MemoryLimitMiB} MiB); " +
                $"{hostile.PagesServed} pages of {PageBytes / 1_000_000.0:0.0} MB served; answers: " +
                string.Join(", ", statuses.GroupBy(s => (int)s).Select(g => $"{g.Key} x{g.Count()}")));
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.PreconditionFailed, s)); // the call's data budget is spent: required data unavailable
            Assert.True(rounds[^1] <= rounds[0] + BoundMiB, $"resident set grew from {rounds[0]} to {rounds[^1]} MiB");
            Assert.All(rounds, r => Assert.True(r < deployment.MemoryLimitMiB, $"resident set {r} MiB reached the Deployment's memory limit of {deployment.MemoryLimitMiB} MiB"));
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    private static long ResidentMiB(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        throw new InvalidOperationException("no VmRSS in /proc/<pid>/status");
    }

    /// <summary>
    /// A FHIR server (WireMock.Net) that answers every search with a page of BCR::ABL1 results of about the given size
    /// and a next link to a page it has not served yet. Its request log keeps the last few entries only (the pages
    /// are megabytes).
    /// </summary>
    private sealed class HostileServer : IAsyncDisposable
    {
        private readonly WireMockServer _server;
        private int _pages;
        public string BaseUrl { get; }
        public int PagesServed => _pages;

        private HostileServer(WireMockServer server)
        {
            _server = server;
            BaseUrl = server.Url + "/fhir/";
        }

        public static Task<HostileServer> StartAsync(int pageBytes)
        {
            var server = new HostileServer(WireMockDoubles.Start("127.0.0.1", maxRequestLog: 4));
            var entry = """{"resource":{"resourceType":"Observation","id":"o","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]},"subject":{"reference":"Patient/eln-12m-failure"},"effectiveDateTime":"2026-01-01","valueQuantity":{"value":0.05,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}}""";
            server._server.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(_ =>
            {
                var page = Interlocked.Increment(ref server._pages);
                var head = $$"""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"{{server.BaseUrl}}Observation?page={{page}}"}],"entry":[""";
                var count = (pageBytes - head.Length) / (entry.Length + 1);
                var body = new StringBuilder(pageBytes + 1024).Append(head);
                for (var i = 0; i < count; i++) body.Append(i == 0 ? "" : ",").Append(entry);
                return body.Append("]}").ToString();
            }));
            return Task.FromResult(server);
        }

        public ValueTask DisposeAsync()
        {
            _server.Stop();
            _server.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
