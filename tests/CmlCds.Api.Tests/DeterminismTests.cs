using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// The cards for a history depend on the history only (clinical specification §1): not on the resources' ids, their
/// order in a Bundle, or the prefetch key they came in. A property test over every golden scenario: each request is
/// rewritten several ways (seeded, so a failure reproduces) and must answer its golden response once the new ids are
/// mapped back to the old ones.
/// </summary>
public class DeterminismTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int VariantsPerScenario = 4;
    private static readonly string ScenarioRoot = GoldenScenarios.Root;

    /// <summary>Keys whose resources the service recognises by type and code: any of them may carry any of these types.</summary>
    private static readonly string[][] Interchangeable =
    [
        ["bcrAbl1", "mutations", "pregnancy"],
        ["medicationRequests", "medicationStatements"],
        ["conditions", "serviceRequests"],
    ];

    public static TheoryData<string, int> Variants()
    {
        var data = new TheoryData<string, int>();
        foreach (var scenario in GoldenScenarios.Names())
            for (var seed = 1; seed <= VariantsPerScenario; seed++)
                data.Add(scenario, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Cards_do_not_change_with_ids_order_or_prefetch_key(string scenario, int seed)
    {
        var request = JsonNode.Parse(await File.ReadAllTextAsync(GoldenScenarios.File(scenario, "request.json")))!.AsObject();
        var (rewritten, newToOld) = Rewrite(request, new Random(seed * 7919 + scenario.Length));
        var body = await GoldenScenarios.PostAsync(fixture, scenario, rewritten.ToJsonString());

        foreach (var (renamed, original) in newToOld.OrderByDescending(kv => kv.Key.Length))
            body = body.Replace(renamed, original, StringComparison.Ordinal);
        var expected = GoldenScenarios.Golden(scenario);
        var actual = JsonNode.Parse(body)!;
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"{scenario} (seed {seed}): cards changed with ids, order or key\nexpected:\n{expected}\nactual:\n{actual}\nrequest:\n{rewritten}");
    }

    [Fact]
    public void The_rewrite_changes_ids_order_and_keys()
    {
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(ScenarioRoot, "eln-12m-failure", "request.json")))!.AsObject();
        var (rewritten, newToOld) = Rewrite(request, new Random(3));
        Assert.NotEmpty(newToOld);
        var text = rewritten.ToJsonString();
        Assert.All(newToOld.Values, old => Assert.DoesNotContain($"\"{old}\"", text, StringComparison.Ordinal));
    }

    /// <summary>New ids for every resource but the patient (references follow), entries shuffled and moved between keys.</summary>
    internal static (JsonObject Request, Dictionary<string, string> NewToOld) Rewrite(JsonObject original, Random random)
    {
        var request = original.DeepClone().AsObject();
        var prefetch = request["prefetch"]!.AsObject();
        var oldToNew = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in prefetch.Select(kv => kv.Value).OfType<JsonObject>().Where(IsBundle).SelectMany(b => b["entry"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            if (entry["resource"] is not JsonObject resource || (string?)resource["resourceType"] == "Patient" || (string?)resource["id"] is not { } id) continue;
            oldToNew.TryAdd(id, $"r{oldToNew.Count:D3}q{random.Next(100_000, 999_999)}");
        }

        var text = prefetch.ToJsonString();
        foreach (var (old, renamed) in oldToNew)
            text = text.Replace($"/{old}\"", $"/{renamed}\"", StringComparison.Ordinal).Replace($"\"id\":\"{old}\"", $"\"id\":\"{renamed}\"", StringComparison.Ordinal);
        prefetch = JsonNode.Parse(text)!.AsObject();

        foreach (var group in Interchangeable)
        {
            var keys = group.Where(prefetch.ContainsKey).ToList();
            var entries = keys.Select(k => prefetch[k]).OfType<JsonObject>().Where(IsBundle)
                .SelectMany(b => b["entry"]?.AsArray().Select(e => e!.DeepClone()) ?? []).ToList();
            if (keys.Count == 0) continue;
            var buckets = keys.ToDictionary(k => k, _ => new JsonArray());
            foreach (var e in entries.OrderBy(_ => random.Next()))
                buckets[keys[random.Next(keys.Count)]].Add(e);
            foreach (var k in keys)
                prefetch[k] = buckets[k].Count == 0 ? null
                    : new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = buckets[k].Count, ["entry"] = buckets[k] };
        }
        request["prefetch"] = prefetch;
        return (request, oldToNew.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal));
    }

    private static bool IsBundle(JsonObject o) => (string?)o["resourceType"] == "Bundle";
}
