using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Service;

namespace CmlCds.Api.Tests;

/// <summary>
/// Every scenario of cds-hooks/ loaded into a real FHIR R4 server (Medplum's engine on 127.0.0.1): the cards must be
/// the golden ones whether the data comes by prefetch, by no prefetch, by partial prefetch, or by paged prefetch
/// (first pages of 2 entries whose next links the service follows: up to 11 pages one after another, so the services
/// here have a deadline that fits that many pages, <see cref="TestHost.WithPagedDeadline"/>).
/// </summary>
public sealed class FhirServerIntegrationTests : IClassFixture<FhirServerIntegrationTests.Loaded>
{
    public sealed class Loaded : IAsyncLifetime
    {
        public MedplumFhirServer Server { get; } = new();
        private readonly Dictionary<string, TestHost> _hosts = new(StringComparer.Ordinal);

        /// <summary>One service per distinct settings.json (most scenarios share the default).</summary>
        public async Task<TestHost> HostFor(string? settingsJson)
        {
            var key = settingsJson ?? "";
            if (!_hosts.TryGetValue(key, out var host))
                _hosts[key] = host = await TestHost.StartAsync(TestHost.WithPagedDeadline(
                    settingsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(settingsJson)));
            return host;
        }

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            if (MedplumFhirServer.SkipReason is not null) return;
            foreach (var scenario in Scenarios())
                await Server.TransactAsync(CmlCds.Cli.SampleBundles.FromHookRequest(Read(scenario, "request.json")));
        }

        public async Task DisposeAsync()
        {
            foreach (var host in _hosts.Values) await host.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private readonly Loaded _loaded;
    public FhirServerIntegrationTests(Loaded loaded) => _loaded = loaded;

    public static TheoryData<string> Scenarios() => new(System.IO.Directory.GetDirectories(Path.Combine(Repo.Root, "cds-hooks"))
        .Where(d => File.Exists(Path.Combine(d, "request.json"))).Select(Path.GetFileName).Order()!);

    private static JsonObject Read(string scenario, string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", scenario, file)))!.AsObject();

    [FhirServerTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Cards_are_the_same_whichever_way_the_data_arrives(string scenario)
    {
        var golden = Read(scenario, "response.json");
        var settingsPath = Path.Combine(Repo.Root, "cds-hooks", scenario, "settings.json");
        var host = await _loaded.HostFor(File.Exists(settingsPath) ? await File.ReadAllTextAsync(settingsPath) : null);

        var noPrefetch = Read(scenario, "request.json");
        noPrefetch.Remove("prefetch");
        await AssertGolden(host, noPrefetch, golden, "no prefetch");

        var partial = Read(scenario, "request.json");
        partial["prefetch"]!.AsObject().Remove("bcrAbl1");
        partial["prefetch"]!.AsObject().Remove("conditions");
        await AssertGolden(host, partial, golden, "partial prefetch");

        await AssertGolden(host, await PagedPrefetch(scenario), golden, "paged prefetch");
    }

    /// <summary>Each search key replaced by the server's first page of 2 entries, with its next link.</summary>
    private async Task<JsonObject> PagedPrefetch(string scenario)
    {
        var request = Read(scenario, "request.json");
        var parsed = JsonSerializer.Deserialize(request.ToJsonString(), CdsHooksJson.HookRequest)!;
        var prefetch = request["prefetch"]!.AsObject();
        foreach (var key in CmlMonitoringService.PrefetchKeys.Where(k => k.Template.Contains('?', StringComparison.Ordinal)))
        {
            var query = PrefetchTemplate.Fill(key.Template, parsed)!;
            var paged = System.Text.RegularExpressions.Regex.Replace(query, "_count=\\d+", "_count=2");
            prefetch[key.Key] = await _loaded.Server.GetAsync(paged);
        }
        return request;
    }

    private async Task AssertGolden(TestHost host, JsonObject request, JsonObject golden, string how)
    {
        request["fhirServer"] = _loaded.Server.BaseUrl.AbsoluteUri.TrimEnd('/');
        host.CardIds.Reset();
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{how}: {(int)response.StatusCode} {body}");
        var actual = JsonNode.Parse(body)!;
        Assert.True(JsonNode.DeepEquals(golden, actual), $"{how}: cards differ from response.json\n{actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
    }
}
