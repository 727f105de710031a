using System.Text.Json;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Cli;
using CmlCds.Hooks.Json;
using CmlCds.Tests.Shared;

namespace CmlCds.Api.Tests;

/// <summary>
/// The informaticist's loop, end to end: `cmlcds load` (the program, run as a process) puts the sample patients into
/// a real FHIR R4 server on 127.0.0.1, then the EHR simulator behind `cmlcds hook` calls the service for each scenario
/// (with and without prefetch) and prints the cards of the golden response. README's own commands, run as written,
/// are <see cref="ReadmeCommandTests"/>.
/// </summary>
public sealed class CliIntegrationTests : IClassFixture<CliIntegrationTests.Loaded>
{
    public sealed class Loaded : IAsyncLifetime
    {
        public MedplumFhirServer Server { get; } = new();
        public CmlcdsProcess.Result Load { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            if (MedplumFhirServer.SkipReason is not null) return;
            Load = await CmlcdsProcess.RunAsync(Repo.Root, "load", "--fhir", Server.BaseUrl.AbsoluteUri.TrimEnd('/'), "--samples", "samples");
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
        Assert.True(_loaded.Load.Exit == 0, _loaded.Load.ToString());
        Assert.Matches($@"\] {scenario}: \d+ resources, HTTP 200\n", _loaded.Load.Output);
        var settingsPath = Path.Combine(Repo.Root, "cds-hooks", scenario, "settings.json");
        var settings = File.Exists(settingsPath) ? JsonSerializer.Deserialize<Dictionary<string, string?>>(await File.ReadAllTextAsync(settingsPath)) : null;
        await using var host = await TestHost.StartAsync(TestHost.WithPagedDeadline(settings));
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
