using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>The scenarios under cds-hooks/, and posting one to a service started with its settings.json.</summary>
public static class GoldenScenarios
{
    public static readonly string Root = Path.Combine(Repo.Root, "cds-hooks");

    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(Root).Where(d => System.IO.File.Exists(Path.Combine(d, "request.json"))).Select(d => Path.GetFileName(d)!).Order();

    public static string File(string scenario, string name) => Path.Combine(Root, scenario, name);

    /// <summary>Posts <paramref name="request"/> to the shared host, or to a host of its own when the scenario has settings.</summary>
    public static async Task<string> PostAsync(HostFixture fixture, string scenario, string request)
    {
        var settingsPath = File(scenario, "settings.json");
        await using var own = System.IO.File.Exists(settingsPath)
            ? await TestHost.StartAsync(JsonSerializer.Deserialize<Dictionary<string, string?>>(await System.IO.File.ReadAllTextAsync(settingsPath)))
            : null;
        var host = own ?? fixture.Host;
        host.CardIds.Reset();
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(request, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    public static JsonNode Golden(string scenario) => JsonNode.Parse(System.IO.File.ReadAllText(File(scenario, "response.json")))!;
}
