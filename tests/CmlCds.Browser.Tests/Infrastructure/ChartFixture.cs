using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CmlCds.Browser.Tests.Infrastructure;

/// <summary>
/// Everything the browser tests launch against, started once: the test FHIR server open (every scenario of cds-hooks/
/// loaded, for the standalone testing mode), the same server as a SMART server that requires its tokens (for the EHR
/// launch with PKCE), the service (one per distinct settings.json, clock at the goldens' day), and headless Chromium.
/// </summary>
public sealed class ChartFixture : IAsyncLifetime
{
    /// <summary>The scenarios the SMART server holds.</summary>
    public static readonly string[] SmartScenarios = ["t315i-on-imatinib", "tfr-eligible-eln"];

    public MedplumFhirServer Open { get; } = new();
    public MedplumFhirServer Smart { get; } = new("--smart-require-token");
    private readonly Dictionary<string, TestHost> _hosts = new(StringComparer.Ordinal);
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public static string ScenarioDirectory(string scenario) => Path.Combine(Repo.Root, "cds-hooks", scenario);

    public static JsonObject Read(string scenario, string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(ScenarioDirectory(scenario), file)))!.AsObject();

    public static IEnumerable<string> Scenarios() => Directory.GetDirectories(Path.Combine(Repo.Root, "cds-hooks"))
        .Where(d => File.Exists(Path.Combine(d, "request.json"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal);

    /// <summary>The service with the scenario's settings.json (most share the default).</summary>
    public async Task<TestHost> HostFor(string scenario)
    {
        var path = Path.Combine(ScenarioDirectory(scenario), "settings.json");
        var key = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        if (!_hosts.TryGetValue(key, out var host))
            _hosts[key] = host = await TestHost.StartAsync(key.Length == 0 ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(key));
        return host;
    }

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null) return;
        var executable = Chromium.ExecutablePath
            ?? throw new InvalidOperationException("CMLCDS_REQUIRE_BROWSER=1 but no Chromium was found: apt-get install -y chromium (or set CMLCDS_CHROMIUM).");
        await Open.InitializeAsync();
        await Smart.InitializeAsync();
        foreach (var scenario in Scenarios())
            await Open.TransactAsync(CmlCds.Cli.SampleBundles.FromHookRequest(Read(scenario, "request.json")));
        foreach (var scenario in SmartScenarios)
            await Smart.TransactAsync(CmlCds.Cli.SampleBundles.FromHookRequest(Read(scenario, "request.json")));
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = executable, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(Chromium.ArtifactsDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        foreach (var host in _hosts.Values) await host.DisposeAsync();
        await Open.DisposeAsync();
        await Smart.DisposeAsync();
    }

    /// <summary>A fresh page (its own session storage), of the given width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1100, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = width, Height = height } });
        return await context.NewPageAsync();
    }

    public static string Artifact(string name) => Path.Combine(Chromium.ArtifactsDirectory, name);
}

[CollectionDefinition(Name)]
public sealed class ChartCollection : ICollectionFixture<ChartFixture>
{
    public const string Name = "chart";
}
