using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmlCds.Tests.Shared;
using CmlCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CmlCds.Api.Tests;

/// <summary>
/// README's "Try it", as written: the service started with README's settings (on the real clock; the example's
/// <c>--Clock:Today</c> is what makes it any day), then README's curl commands run by bash against it; they print the
/// committed discovery document and the example's committed response, whatever today is.
/// </summary>
public sealed class TryItTests
{
    private static (Dictionary<string, string?> Settings, List<string> Curls) TryIt()
    {
        var readme = Readme.Text;
        var section = readme[readme.IndexOf("\n## Try it\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var lines = section.Split('\n').Select(l => l.Trim()).ToList();
        var run = lines.Single(l => l.StartsWith("dotnet run --project src/CmlCds.Api", StringComparison.Ordinal));
        return (Readme.Settings(run), lines.Where(l => l.StartsWith("curl ", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public async Task Try_it_prints_the_committed_discovery_and_response_on_any_day()
    {
        var (settings, curls) = TryIt();
        Assert.Equal("2026-06-01", settings[ClinicDate.Setting]);
        Assert.Equal(2, curls.Count);
        await using var host = await TestHost.StartAsync(settings, fixClock: false);
        var service = host.BaseAddress.AbsoluteUri.TrimEnd('/');

        var discovery = await CmlcdsProcess.ShellAsync(Repo.Root, curls[0].Replace("http://localhost:5080", service, StringComparison.Ordinal));
        Assert.True(discovery.Exit == 0, discovery.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "discovery.json"))), JsonNode.Parse(discovery.Output)), discovery.Output);

        var scenario = Regex.Match(curls[1], @"@cds-hooks/([a-z0-9-]+)/request\.json").Groups[1].Value;
        host.CardIds.Reset();
        var call = await CmlcdsProcess.ShellAsync(Repo.Root, curls[1].Replace("http://localhost:5080", service, StringComparison.Ordinal));
        Assert.True(call.Exit == 0, call.ToString());
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", scenario, "response.json")));
        Assert.True(JsonNode.DeepEquals(golden, JsonNode.Parse(call.Output)), call.Output);
    }

    private static IConfiguration Config(string? today) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ClinicDate.Setting] = today }).Build();

    [Fact]
    public void The_clinic_date_is_that_day_and_is_refused_outside_Development()
    {
        var clock = ClinicDate.Clock(Config("2026-06-01"), new TestEnvironment("Development", Repo.Root));
        Assert.Equal(new DateOnly(2026, 6, 1), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        Assert.Same(TimeProvider.System, ClinicDate.Clock(Config(null), new TestEnvironment("Production", Repo.Root)));
        var refused = Assert.Throws<InvalidOperationException>(() => ClinicDate.Clock(Config("2026-06-01"), new TestEnvironment("Production", Repo.Root)));
        Assert.Equal("Clock:Today is set and the environment is 'Production': a fixed clinic date is for Development only; remove it.", refused.Message);
        Assert.Contains("YYYY-MM-DD", Assert.Throws<InvalidOperationException>(() => ClinicDate.Clock(Config("01/06/2026"), new TestEnvironment("Development", Repo.Root))).Message);
    }
}
