using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Storage;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// POST {baseUrl}/cds-services/{id}/feedback (CDS Hooks 2.0 §Feedback; requirement 148: a service MAY support it, and
/// this one does). Each field rule of the section, idempotency, and the join from feedback to the audited card.
/// </summary>
public sealed class FeedbackTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private const string ApiKey = "admin-key-for-tests";

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Admin:ApiKey"] = ApiKey,
        ["Storage:AuditFlushMs"] = "20",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Post(string body, string path = "/cds-services/cml-monitoring/feedback")
    {
        using var response = await _host.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string Item(string card = "4e0a3a1e-3283-4575-ab82-028d55fe2719", string outcome = "\"accepted\"",
        string? suggestions = """[{"id":"e56e1945-20b3-4393-8503-a1a20fd73152"}]""", string? reason = null, string timestamp = "\"2021-12-11T10:05:31Z\"")
    {
        var members = new List<string> { $"\"card\":\"{card}\"", $"\"outcome\":{outcome}", $"\"outcomeTimestamp\":{timestamp}" };
        if (suggestions is not null) members.Add($"\"acceptedSuggestions\":{suggestions}");
        if (reason is not null) members.Add($"\"overrideReason\":{reason}");
        return "{" + string.Join(",", members) + "}";
    }

    private static string Request(params string[] items) => $$"""{"feedback":[{{string.Join(",", items)}}]}""";

    private async Task<long> StoredFeedback()
    {
        var database = _host.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync();
        await using var command = Database.Command(connection, null, "SELECT COUNT(*) FROM feedback");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Req148_spec_example_of_an_accepted_suggestion_is_stored()
    {
        var (status, body) = await Post(Request(Item()));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 1), ((int)body!["received"]!, (int)body["stored"]!));
        Assert.Equal(1, await StoredFeedback());
    }

    [Fact]
    public async Task Spec_examples_of_overridden_guidance_with_and_without_a_reason_are_stored()
    {
        var withReason = Item(card: "9368d37b-283f-44a0-93ea-547cebab93ed", outcome: "\"overridden\"", suggestions: null,
            reason: """{"reason":{"code":"d7ecf885","system":"https://example.com/cds-hooks/override-reason-system"},"userComment":"A comment entered by the clinician."}""");
        var without = Item(card: "f6b95768-b1c8-40dc-8385-bf3504b82ffb", outcome: "\"overridden\"", suggestions: null, timestamp: "\"2020-12-11T00:00:00Z\"");
        var commentOnly = Item(card: "f6b95768-b1c8-40dc-8385-bf3504b82ffb", outcome: "\"overridden\"", suggestions: null, reason: """{"userComment":"not now"}""");
        var (status, body) = await Post(Request(withReason, without, commentOnly));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, (int)body!["stored"]!);
    }

    [Fact]
    public async Task The_same_item_posted_twice_is_stored_once()
    {
        Assert.Equal(1, (int)(await Post(Request(Item()))).Body!["stored"]!);
        var (status, body) = await Post(Request(Item()));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, (int)body!["stored"]!);
        Assert.Equal(1, await StoredFeedback());
    }

    [Fact]
    public async Task The_same_card_answered_at_another_time_is_another_item()
    {
        await Post(Request(Item()));
        await Post(Request(Item(timestamp: "\"2021-12-11T10:06:00Z\"")));
        Assert.Equal(2, await StoredFeedback());
    }

    public static TheoryData<string, string> Invalid() => new()
    {
        { "{}", "'feedback' must be a non-empty array." },
        { """{"feedback":[]}""", "'feedback' must be a non-empty array." },
        { Request(Item(card: "")), "feedback[0].card must be the uuid" },
        { Request(Item(card: "card-1")), "feedback[0].card must be the uuid" },
        { Request(Item(outcome: "\"ignored\"")), "feedback[0].outcome must be 'accepted' or 'overridden'." },
        { Request(Item(outcome: "null")), "feedback[0].outcome must be 'accepted' or 'overridden'." },
        { Request(Item(suggestions: null)), "feedback[0].acceptedSuggestions is required when the outcome is 'accepted'." },
        { Request(Item(suggestions: "[]")), "feedback[0].acceptedSuggestions is required when the outcome is 'accepted'." },
        { Request(Item(suggestions: """[{"id":""}]""")), "feedback[0].acceptedSuggestions[].id is required." },
        { Request(Item(outcome: "\"overridden\"")), "feedback[0].acceptedSuggestions goes with the outcome 'accepted' only." },
        { Request(Item(reason: """{"userComment":"x"}""")), "feedback[0].overrideReason goes with the outcome 'overridden' only." },
        { Request(Item(outcome: "\"overridden\"", suggestions: null, reason: "{}")), "feedback[0].overrideReason needs a reason, a userComment, or both." },
        { Request(Item(outcome: "\"overridden\"", suggestions: null, reason: """{"reason":{"code":"x"}}""")), "feedback[0].overrideReason.reason needs a code and a system." },
        { Request(Item(timestamp: "\"2021-12-11 10:05:31\"")), "feedback[0].outcomeTimestamp must be an RFC 3339 date-time" },
        { Request(Item(timestamp: "\"2021-12-11T10:05:31\"")), "feedback[0].outcomeTimestamp must be an RFC 3339 date-time" },
        { Request(Item(timestamp: "\"2021-12-11\"")), "feedback[0].outcomeTimestamp must be an RFC 3339 date-time" },
        { Request(Item(), Item(card: "bad")), "feedback[1].card must be the uuid" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Each_field_rule_is_a_400_naming_the_field_and_nothing_is_stored(string body, string error)
    {
        var (status, problem) = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid feedback", (string?)problem!["title"]);
        Assert.Contains(problem["errors"]!.AsArray(), e => ((string)e!).StartsWith(error, StringComparison.Ordinal));
        Assert.Equal(0, await StoredFeedback());
    }

    [Theory]
    [InlineData("2021-12-11T10:05:31.52Z")]
    [InlineData("2021-12-11T11:05:31+01:00")]
    public async Task RFC_3339_fractions_and_offsets_are_accepted(string timestamp) =>
        Assert.Equal(HttpStatusCode.OK, (await Post(Request(Item(timestamp: $"\"{timestamp}\"")))).Status);

    [Fact]
    public async Task Malformed_JSON_is_400() => Assert.Equal(HttpStatusCode.BadRequest, (await Post("{\"feedback\":[")).Status);

    [Fact]
    public async Task Feedback_for_an_unknown_service_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await Post(Request(Item()), "/cds-services/other/feedback")).Status);

    // ---- audit and analytics ----

    private async Task<HttpResponseMessage> Analytics(string? key, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/analytics" + query);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_hook_call_is_audited_and_its_cards_feedback_shows_in_the_analytics()
    {
        var scenario = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json"));
        using var hook = await _host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(scenario, Encoding.UTF8, "application/json"));
        var cards = JsonNode.Parse(await hook.Content.ReadAsStringAsync())!["cards"]!.AsArray();
        var mutation = cards.Single(c => (string?)c!["source"]!["topic"]!["code"] == "mutation-analysis")!;
        var review = cards.Single(c => (string?)c!["source"]!["topic"]!["code"] == "therapy-review")!;
        var accepted = Item(card: (string)mutation["uuid"]!, suggestions: $$"""[{"id":"{{(string)mutation["suggestions"]![0]!["uuid"]!}}"}]""");
        var overridden = Item(card: (string)review["uuid"]!, outcome: "\"overridden\"", suggestions: null,
            reason: """{"reason":{"code":"managed-by-specialist","system":"http://cmlcds.org/fhir/CodeSystem/override-reason","display":"Managed by the treating hematologist"}}""");
        Assert.Equal(HttpStatusCode.OK, (await Post(Request(accepted, overridden))).Status);

        JsonNode? report = null;
        for (var i = 0; i < 50; i++) // the audit is written within the flush window
        {
            using var response = await Analytics(ApiKey, "?from=2026-01-01&to=2026-12-31");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            report = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            if (report!["rows"]!.AsArray().Count > 0) break;
            await Task.Delay(50);
        }
        var rows = report!["rows"]!.AsArray();
        var mutationRow = rows.Single(r => (string?)r!["ruleId"] == "mutation-analysis.failure")!;
        Assert.Equal((1, 1, 0), ((int)mutationRow["shown"]!, (int)mutationRow["accepted"]!, (int)mutationRow["overridden"]!));
        var reviewRow = rows.Single(r => (string?)r!["ruleId"] == "therapy-review.failure")!;
        Assert.Equal(1, (int)reviewRow["overridden"]!);
        Assert.Equal("managed-by-specialist", (string?)reviewRow["overrideReasons"]![0]!["code"]);
        Assert.Contains(rows, r => (string?)r!["topic"] == "response-failure" && (string?)r["ruleId"] == "eln2020.milestone.12m");

        var database = _host.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync();
        await using var command = Database.Command(connection, null, "SELECT hook_instance, patient_key, status FROM audit_call");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", reader.GetString(0));
        Assert.Equal(32, reader.GetString(1).Length);
        Assert.DoesNotContain("eln-12m-failure", reader.GetString(1));
        Assert.Equal(200, reader.GetInt64(2));
    }

    [Fact]
    public async Task Analytics_needs_the_admin_key() => Assert.Equal(HttpStatusCode.Unauthorized, (await Analytics("wrong-key")).StatusCode);

    [Fact]
    public async Task Analytics_rejects_a_bad_date_range() => Assert.Equal(HttpStatusCode.BadRequest, (await Analytics(ApiKey, "?from=2026-13-01")).StatusCode);

    [Fact]
    public async Task Without_an_admin_key_the_analytics_endpoint_does_not_exist()
    {
        await using var host = await TestHost.StartAsync();
        using var response = await host.Client.GetAsync("/admin/analytics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_analytics_command_prints_the_same_report_as_a_table()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cmlcds-cli-{Guid.NewGuid():N}.db");
        var database = new Database(StorageProvider.Sqlite, $"Data Source={file}");
        await Migrations.ApplyAsync(database);
        var writer = new AuditWriter(database, Microsoft.Extensions.Options.Options.Create(new StorageOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditWriter>.Instance);
        var card = Guid.NewGuid();
        writer.Enqueue(new AuditRecord("c1", "h1", "cml-monitoring", DateTimeOffset.UtcNow, null, null, "k", 200, 1, 1, 2,
            [new CmlCds.Hooks.Cards.CardRules(card.ToString(), "monitoring-overdue", CmlCds.Hooks.Protocol.Indicator.Warning, ["monitoring-overdue"])]));
        await writer.StopAsync(default);

        var output = new StringWriter();
        var exit = await AnalyticsCommand.RunAsync([$"--ConnectionStrings:CmlCds=Data Source={file}", "--environment", "Development"], output, new StringWriter());
        Assert.Equal(0, exit);
        var table = output.ToString();
        Assert.Contains("topic", table);
        Assert.Matches(@"monitoring-overdue\s+monitoring-overdue\s+1\s+0\s+0", table);
    }
}
