using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// Every scenario under cds-hooks/ is posted through the real HTTP pipeline and must answer exactly its
/// response.json (clock fixed at <see cref="TestHost.GoldenNow"/>, uuids sequential). A scenario with a
/// <c>settings.json</c> (configuration keys to values, e.g. <c>{"Clinical:Guideline": "Nccn"}</c>) runs on a service
/// started with those settings. To regenerate after a reviewed change: <c>CMLCDS_UPDATE_GOLDEN=1 dotnet test</c>,
/// then read the diff.
/// </summary>
public class GoldenScenarioTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    public static TheoryData<string> Scenarios() => new(GoldenScenarios.Names());

    [Fact]
    public void There_are_golden_scenarios() => Assert.True(Scenarios().Count >= 13, "cds-hooks/ lost scenarios");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_answers_its_golden_response(string scenario)
    {
        var body = await GoldenScenarios.PostAsync(fixture, scenario, await File.ReadAllTextAsync(GoldenScenarios.File(scenario, "request.json")));
        var goldenPath = GoldenScenarios.File(scenario, "response.json");
        var actual = JsonNode.Parse(body)!;
        if (Environment.GetEnvironmentVariable("CMLCDS_UPDATE_GOLDEN") == "1")
            await File.WriteAllTextAsync(goldenPath, actual.ToJsonString(Pretty) + "\n");

        Assert.True(File.Exists(goldenPath), $"{scenario}: no response.json (run with CMLCDS_UPDATE_GOLDEN=1 and review)");
        var expected = GoldenScenarios.Golden(scenario);
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"{scenario}: response differs from response.json\nexpected:\n{expected.ToJsonString(Pretty)}\nactual:\n{actual.ToJsonString(Pretty)}");
    }

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

public class ExamplesFileTests
{
    [Fact]
    public void Examples_http_posts_every_scenario()
    {
        var root = Path.Combine(Repo.Root, "cds-hooks");
        var examples = File.ReadAllText(Path.Combine(root, "examples.http"));
        foreach (var dir in Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "request.json"))))
            Assert.Contains($"< ./{Path.GetFileName(dir)}/request.json", examples);
    }
}
