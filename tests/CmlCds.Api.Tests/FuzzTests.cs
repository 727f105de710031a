using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CmlCds.Api.Tests;

/// <summary>
/// Bad input is a clear 4xx, never a 5xx (issue 17, item 1 and "Must show"): hook requests generated from every
/// golden request of cds-hooks/ by seeded mutation (nulls, type swaps, deletions, huge and odd values, odd Unicode,
/// dates at the edges, nulls inside arrays), and malformed feedback bodies. Each answer is 2xx or 4xx; a 4xx is
/// <c>application/problem+json</c>; no answer holds a stack trace. The seed is fixed, so a failure names the case
/// that reproduces it.
/// </summary>
public sealed class FuzzTests(FuzzTests.UnthrottledHost fixture, ITestOutputHelper output) : IClassFixture<FuzzTests.UnthrottledHost>
{
    /// <summary>The service in open Development mode with a rate limit the fuzzing does not reach.</summary>
    public sealed class UnthrottledHost : IAsyncLifetime
    {
        public TestHost Host { get; private set; } = null!;
        public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Limits:PermitsPerMinute"] = "1000000" });
        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private const int Seed = 20261201;
    private const int HookCases = 2100;
    private const int FeedbackCases = 240;

    [Fact]
    public async Task Mutated_hook_requests_are_answered_2xx_or_4xx_with_problem_details()
    {
        var goldens = Directory.GetDirectories(Path.Combine(Repo.Root, "cds-hooks"))
            .Select(d => Path.Combine(d, "request.json")).Where(File.Exists).Order()
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        Assert.NotEmpty(goldens);
        var random = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < HookCases; i++)
        {
            var golden = goldens[i % goldens.Count];
            var (body, what) = JsonMutator.Mutate(golden, random, mutations: 1 + random.Next(3));
            var status = await PostAndCheck("/cds-services/cml-monitoring", body, $"hook case {i} ({what})");
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }
        output.WriteLine($"seed {Seed}, {HookCases} hook requests: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        AssertNoFailures();
        Assert.True(statuses.GetValueOrDefault(200) > 0, "no mutated request was answered 200: the mutations are too coarse to reach the rules");
        Assert.True(statuses.GetValueOrDefault(400) > 0, "no mutated request was refused 400");
    }

    [Fact]
    public async Task Malformed_feedback_bodies_are_answered_2xx_or_4xx_with_problem_details()
    {
        var valid = JsonNode.Parse("""
            {"feedback":[
              {"card":"4e0a3a1e-3283-4575-ab82-028d55fe2719","outcome":"accepted","acceptedSuggestions":[{"id":"a1b2c3d4-0000-4000-8000-000000000001"}],"outcomeTimestamp":"2026-06-01T10:00:00Z"},
              {"card":"4e0a3a1e-3283-4575-ab82-028d55fe2720","outcome":"overridden","overrideReason":{"reason":{"code":"patient-declined","system":"http://cmlcds.org/fhir/CodeSystem/override-reason"},"userComment":"seen"},"outcomeTimestamp":"2026-06-01T10:00:00.123+02:00"}
            ]}
            """)!;
        var random = new Random(Seed + 1);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < FeedbackCases; i++)
        {
            var (body, what) = i % 8 == 7 ? JsonMutator.Garble(valid.ToJsonString(), random) : JsonMutator.Mutate(valid, random, mutations: 1 + random.Next(3));
            var status = await PostAndCheck("/cds-services/cml-monitoring/feedback", body, $"feedback case {i} ({what})");
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }
        output.WriteLine($"seed {Seed + 1}, {FeedbackCases} feedback bodies: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        AssertNoFailures();
        Assert.True(statuses.GetValueOrDefault(400) > FeedbackCases / 2, "most malformed feedback bodies must be refused");
    }

    private readonly List<string> _failures = [];

    private void AssertNoFailures() =>
        Assert.True(_failures.Count == 0, $"{_failures.Count} wrong answers; the first:\n" + string.Join("\n\n", _failures.Take(8)));

    private async Task<int> PostAndCheck(string path, byte[] body, string what)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await fixture.Host.Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var request = Encoding.UTF8.GetString(body);
        if (status >= 500)
            _failures.Add($"{what}: HTTP {status}\n{text}\nrequest: {request[..Math.Min(request.Length, 600)]}");
        else if (text.Contains("   at ", StringComparison.Ordinal))
            _failures.Add($"{what}: a stack trace in the answer");
        else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            _failures.Add($"{what}: {status} without ProblemDetails: {text}");
        return status;
    }
}

/// <summary>Seeded mutations of a JSON document: each picks a node of the tree and changes it.</summary>
public static class JsonMutator
{
    /// <summary>Written in place of a string, then replaced in the serialized text (the writer refuses invalid UTF-16).</summary>
    private const string LoneSurrogate = "\u0001LONE-SURROGATE\u0001";

    private static readonly string[] EdgeDates =
    [
        "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999+14:00", "2026-02-30", "2026-13-01",
        "10000-01-01", "-0001-01-01", "2026", "2026-06", "2026-06-01T25:00:00Z", "", "T", "2026-06-01T10:00:00", "1900-01-01",
    ];

    private static readonly string[] OddStrings =
    [
        LoneSurrogate, "\u0000", "\u202e\u202d", "\ufeff", "😀\u200d🔥", "a\r\nforged log line", "\\u0000", "%00", "../../etc/passwd",
        "http://[::1", "javascript:alert(1)", " ", "NaN", "-Infinity", "1e400", "\ud83d\ude00",
    ];

    public static (byte[] Body, string What) Mutate(JsonNode golden, Random random, int mutations)
    {
        var root = golden.DeepClone();
        var what = new List<string>();
        for (var m = 0; m < mutations; m++)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            var target = nodes[random.Next(nodes.Count)];
            what.Add(Apply(ref root, target, random));
        }
        var text = root.ToJsonString().Replace(Escaped(LoneSurrogate), "\\ud800", StringComparison.Ordinal);
        return (Encoding.UTF8.GetBytes(text), string.Join("; ", what));
    }

    /// <summary>Broken bytes: truncated, invalid UTF-8, a stray byte, or not JSON at all.</summary>
    public static (byte[] Body, string What) Garble(string json, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (random.Next(5))
        {
            case 0: return (bytes[..random.Next(bytes.Length)], "truncated");
            case 1:
                bytes[random.Next(bytes.Length)] = 0xFF;
                return (bytes, "invalid UTF-8");
            case 2: return (Encoding.UTF8.GetBytes("[" + json + "]"), "array at the root");
            case 3: return ([], "empty body");
            default: return (Encoding.UTF8.GetBytes(json.Replace("\"", "'", StringComparison.Ordinal)), "single quotes");
        }
    }

    private static string Escaped(string s) => new JsonArray(JsonValue.Create(s)).ToJsonString()[2..^2];

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null) return;
        into.Add(node);
        switch (node)
        {
            case JsonObject o: foreach (var (_, v) in o) Collect(v, into); break;
            case JsonArray a: foreach (var v in a) Collect(v, into); break;
        }
    }

    private static string Apply(ref JsonNode root, JsonNode target, Random random)
    {
        var path = target.GetPath();
        var kind = random.Next(12);
        switch (kind)
        {
            case 0: Replace(ref root, target, null); return $"{path} = null";
            case 1:
                if (target.Parent is null) return "root kept";
                Remove(target);
                return $"{path} deleted";
            case 2:
                var swapped = SwapType(target, random);
                Replace(ref root, target, swapped);
                return $"{path} = {swapped?.ToJsonString() ?? "null"}";
            case 3:
                var huge = new string('x', 1 + random.Next(200_000));
                Replace(ref root, target, huge);
                return $"{path} = {huge.Length} characters";
            case 4:
                var odd = OddStrings[random.Next(OddStrings.Length)];
                Replace(ref root, target, odd);
                return $"{path} = odd string #{Array.IndexOf(OddStrings, odd)}";
            case 5:
            case 6:
                // Dates at the edges, aimed at the members that hold dates.
                var dated = FindDated(root, random) ?? target;
                var datedPath = dated.GetPath();
                var date = EdgeDates[random.Next(EdgeDates.Length)];
                Replace(ref root, dated, date);
                return $"{datedPath} = '{date}'";
            case 7:
                if (FindArray(root, random) is { } array)
                {
                    array.Insert(random.Next(array.Count + 1), null);
                    return $"{array.GetPath()}: null inserted";
                }
                return "no array";
            case 8:
                var number = random.Next(6) switch { 0 => JsonValue.Create(-1), 1 => JsonValue.Create(0), 2 => JsonValue.Create(1e308), 3 => JsonValue.Create(decimal.MaxValue), 4 => JsonValue.Create(long.MinValue), _ => JsonValue.Create(0.000000000001m) };
                Replace(ref root, target, number);
                return $"{path} = {number.ToJsonString()}";
            case 9:
                if (target is JsonArray many && many.Count > 0)
                {
                    var copies = random.Next(2, 50);
                    for (var c = 0; c < copies; c++) many.Add(many[random.Next(many.Count)]!.DeepClone());
                    return $"{path}: {copies} entries duplicated";
                }
                Replace(ref root, target, new JsonArray());
                return $"{path} = []";
            case 10:
                Replace(ref root, target, new JsonObject());
                return $"{path} = {{}}";
            default:
                if (target is JsonObject obj)
                {
                    obj["resourceType"] = random.Next(2) == 0 ? "Bundle" : "OperationOutcome";
                    return $"{path}.resourceType changed";
                }
                Replace(ref root, target, true);
                return $"{path} = true";
        }
    }

    private static JsonNode? SwapType(JsonNode node, Random random) => node switch
    {
        JsonObject => new JsonArray(node.DeepClone()),
        JsonArray a => a.Count > 0 ? a[0]?.DeepClone() : JsonValue.Create("[]"),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => random.Next(2) == 0 ? JsonValue.Create(42) : new JsonObject { ["value"] = v.DeepClone() },
        _ => JsonValue.Create(node.ToJsonString()),
    };

    private static JsonNode? FindDated(JsonNode root, Random random)
    {
        var dated = new List<JsonNode>();
        Collect(root, dated);
        dated.RemoveAll(n => n.Parent is not JsonObject || n is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String
            || !(n.GetPropertyName().Contains("date", StringComparison.OrdinalIgnoreCase) || n.GetPropertyName().Contains("time", StringComparison.OrdinalIgnoreCase)
                 || n.GetPropertyName() is "start" or "end" or "issued" or "authoredOn" or "recordedDate" or "birthDate"));
        return dated.Count == 0 ? null : dated[random.Next(dated.Count)];
    }

    private static JsonArray? FindArray(JsonNode root, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var arrays = nodes.OfType<JsonArray>().ToList();
        return arrays.Count == 0 ? null : arrays[random.Next(arrays.Count)];
    }

    private static void Replace(ref JsonNode root, JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case null: root = value ?? JsonValue.Create("null")!; break;
            case JsonObject o: o[target.GetPropertyName()] = value; break;
            case JsonArray a: a[a.IndexOf(target)] = value; break;
        }
    }

    private static void Remove(JsonNode target)
    {
        switch (target.Parent)
        {
            case JsonObject o: o.Remove(target.GetPropertyName()); break;
            case JsonArray a: a.RemoveAt(a.IndexOf(target)); break;
        }
    }
}
