using System.Text.Json;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Cli;
using CmlCds.Hooks.Json;

namespace CmlCds.Api.Tests;

/// <summary>
/// The informaticist's loop, end to end: `cmlcds load` puts the sample patients into a real FHIR R4 server on
/// 127.0.0.1, then `cmlcds hook` acts as the EHR for each scenario (with and without prefetch) against the service,
/// and prints the cards of the golden response.
/// </summary>
public sealed class CliIntegrationTests : IClassFixture<CliIntegrationTests.Loaded>
{
    public sealed class Loaded : IAsyncLifetime
    {
        public MedplumFhirServer Server { get; } = new();
        public string Progress { get; private set; } = "";
        public int LoadExit { get; private set; }

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            if (MedplumFhirServer.SkipReason is not null) return;
            var progress = new StringWriter();
            LoadExit = await SampleLoader.LoadAsync(Server.BaseUrl, null, false, new DirectoryInfo(Path.Combine(Repo.Root, "samples")), progress, default);
            Progress = progress.ToString();
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }

    private readonly Loaded _loaded;
    public CliIntegrationTests(Loaded loaded) => _loaded = loaded;

    public static TheoryData<string> Scenarios() => FhirServerIntegrationTests.Scenarios();

    [FhirServerTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Hook_prints_the_golden_cards_for_each_sample_patient(string scenario)
    {
        Assert.Equal(0, _loaded.LoadExit);
        Assert.Contains($"{scenario}: ", _loaded.Progress);
        var settingsPath = Path.Combine(Repo.Root, "cds-hooks", scenario, "settings.json");
        var settings = File.Exists(settingsPath) ? JsonSerializer.Deserialize<Dictionary<string, string?>>(await File.ReadAllTextAsync(settingsPath)) : null;
        await using var host = await TestHost.StartAsync(settings);
        var golden = JsonSerializer.Deserialize(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "cds-hooks", scenario, "response.json")), CdsHooksJson.Response)!;
        var expected = Printing.Table(golden);
        var service = new Uri(host.BaseAddress, "/cds-services/cml-monitoring");

        foreach (var withPrefetch in new[] { true, false })
        {
            var (exit, output) = await EhrSimulator.CallAsync(_loaded.Server.BaseUrl, scenario, service, withPrefetch, null, default);
            Assert.Equal(0, exit);
            Assert.Equal(expected, output);
        }
    }
}
