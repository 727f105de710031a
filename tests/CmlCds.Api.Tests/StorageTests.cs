using CmlCds.Api.Storage;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Tests;

/// <summary>
/// The storage contract, run on SQLite always and on a real PostgreSQL cluster where its binaries are installed
/// (always in CI, which sets CMLCDS_REQUIRE_POSTGRES=1).
/// </summary>
public sealed class StorageTests
{
    public static TheoryData<string> Providers()
    {
        var data = new TheoryData<string> { "Sqlite" };
        if (PostgresCluster.Available || PostgresCluster.Required) data.Add("Postgres");
        return data;
    }

    [PostgresFact]
    public async Task The_PostgreSQL_variants_run_here()
    {
        var database = await (await PostgresCluster.GetAsync()).NewDatabaseAsync();
        Assert.Equal(Migrations.Latest, await Migrations.ApplyAsync(database));
    }

    internal static async Task<Database> NewDatabase(string provider)
    {
        var database = provider == "Postgres"
            ? await (await PostgresCluster.GetAsync()).NewDatabaseAsync()
            : new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), $"cmlcds-storage-{Guid.NewGuid():N}.db")}");
        await Migrations.ApplyAsync(database);
        return database;
    }

    private static async Task<long> Count(Database database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Database.Command(connection, null, sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ValidFeedback Feedback(Guid card, string outcome, string at = "2026-06-01T10:00:00Z", string? reason = null, params string[] suggestions) =>
        FeedbackValidator.Validate(new FeedbackRequest
        {
            Feedback =
            [
                new FeedbackItem
                {
                    Card = card.ToString(), Outcome = outcome, OutcomeTimestamp = at,
                    AcceptedSuggestions = suggestions.Length == 0 ? null : suggestions.Select(s => new AcceptedSuggestion { Id = s }).ToList(),
                    OverrideReason = reason is null ? null : new FeedbackOverrideReason { Reason = new CdsCoding(reason, OverrideReasons.System, reason) },
                },
            ],
        }).Items.Single();

    private static AuditWriter Writer(Database database) =>
        new(database, Options.Create(new StorageOptions { AuditFlushMs = 10 }), new Microsoft.Extensions.Logging.Logger<AuditWriter>(LoggerFactory.Create(b => b.AddProvider(Logs))));

    private static readonly LogCapture Logs = new();

    private static AuditRecord Call(DateTimeOffset at, params CardRules[] cards) =>
        new(Guid.NewGuid().ToString(), "hook-1", "cml-monitoring", at, "https://ehr.example", null, "abcd", 200, 1.5, 0.4, 2.5, cards);

    private static CardRules Card(Guid uuid, string topic, params string[] rules) => new(uuid.ToString(), topic, Indicator.Warning, rules);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrations_create_the_schema_once_and_record_the_version(string provider)
    {
        var database = await NewDatabase(provider);
        Assert.Equal(0, await Migrations.ApplyAsync(database));
        Assert.Equal(Migrations.Latest, await Count(database, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(Migrations.All.Count, await Count(database, "SELECT COUNT(*) FROM schema_version"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_same_feedback_item_twice_is_stored_once(string provider)
    {
        var database = await NewDatabase(provider);
        var store = new FeedbackStore(database, TimeProvider.System);
        var item = Feedback(Guid.NewGuid(), "accepted", suggestions: "s-1");
        Assert.Equal(1, await store.SaveAsync([item], "iss", default));
        Assert.Equal(0, await store.SaveAsync([item], "iss", default));
        Assert.Equal(1, await store.SaveAsync([item, Feedback(item.Card, "overridden", "2026-06-01T11:00:00Z")], "iss", default));
        Assert.Equal(2, await Count(database, "SELECT COUNT(*) FROM feedback"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Audit_is_flushed_at_shutdown_and_analytics_join_feedback_to_cards(string provider)
    {
        var database = await NewDatabase(provider);
        var writer = Writer(database);
        await writer.StartAsync(default);
        var now = DateTimeOffset.UtcNow;
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        writer.Enqueue(Call(now, Card(a, "mutation-analysis", "mutation-analysis.failure"), Card(b, "therapy-review", "therapy-review.failure")));
        writer.Enqueue(Call(now, Card(c, "mutation-analysis", "mutation-analysis.failure")));
        await writer.StopAsync(default);
        Assert.True(2 == await Count(database, "SELECT COUNT(*) FROM audit_call"), string.Join("\n", Logs.Messages));
        Assert.Equal(3, await Count(database, "SELECT COUNT(*) FROM audit_card"));

        var store = new FeedbackStore(database, TimeProvider.System);
        await store.SaveAsync([Feedback(a, "accepted", suggestions: "s"), Feedback(c, "overridden", reason: "patient-declined"),
            Feedback(b, "overridden", reason: "already-addressed")], null, default);

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var report = await new Analytics(database).ReportAsync(today.AddDays(-1), today);
        var mutation = report.Rows.Single(r => r.Topic == "mutation-analysis");
        Assert.Equal(("mutation-analysis.failure", 2L, 1L, 1L), (mutation.RuleId, mutation.Shown, mutation.Accepted, mutation.Overridden));
        Assert.Equal("patient-declined", Assert.Single(mutation.OverrideReasons).Code);
        var review = report.Rows.Single(r => r.Topic == "therapy-review");
        Assert.Equal((1L, 0L, 1L), (review.Shown, review.Accepted, review.Overridden));
        Assert.Contains("mutation-analysis.failure", Analytics.Table(report));

        var earlier = await new Analytics(database).ReportAsync(today.AddDays(-30), today.AddDays(-2));
        Assert.Empty(earlier.Rows);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Retention_purges_audit_older_than_the_configured_days(string provider)
    {
        var database = await NewDatabase(provider);
        var writer = Writer(database);
        await writer.StartAsync(default);
        var now = DateTimeOffset.UtcNow;
        writer.Enqueue(Call(now.AddDays(-400), Card(Guid.NewGuid(), "response-optimal", "eln2020.milestone.12m")));
        writer.Enqueue(Call(now.AddDays(-10), Card(Guid.NewGuid(), "response-optimal", "eln2020.milestone.12m")));
        await writer.StopAsync(default);

        var retention = new AuditRetention(database, Options.Create(new StorageOptions { AuditRetentionDays = 365 }), TimeProvider.System, NullLogger<AuditRetention>.Instance);
        Assert.Equal(1, await retention.PurgeAsync());
        Assert.Equal(1, await Count(database, "SELECT COUNT(*) FROM audit_call"));
        Assert.Equal(1, await Count(database, "SELECT COUNT(*) FROM audit_card"));
        Assert.Equal(1, await Count(database, "SELECT COUNT(*) FROM audit_card_rule"));
    }
}
