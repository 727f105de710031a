using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Storage;

/// <summary>Applies the schema migrations before the service takes any request.</summary>
public sealed partial class DatabaseMigrator(Database database, ILogger<DatabaseMigrator> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await Migrations.ApplyAsync(database, cancellationToken).ConfigureAwait(false);
        LogReady(log, database.Provider, Migrations.Latest, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "database {Provider} at schema version {Version} ({Applied} migrations applied now)")]
    private static partial void LogReady(ILogger log, StorageProvider provider, int version, int applied);
}

/// <summary>Purges audit rows older than <see cref="StorageOptions.AuditRetentionDays"/>: at start-up, then once a day.</summary>
public sealed partial class AuditRetention(Database database, IOptions<StorageOptions> options, TimeProvider clock, ILogger<AuditRetention> log) : BackgroundService
{
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cut = Database.Timestamp(clock.GetUtcNow().AddDays(-options.Value.AuditRetentionDays));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Database.ExecuteAsync(connection, transaction,
            "DELETE FROM audit_card_rule WHERE card_uuid IN (SELECT card_uuid FROM audit_card WHERE at < @cut)", cancellationToken, ("@cut", cut)).ConfigureAwait(false);
        await Database.ExecuteAsync(connection, transaction, "DELETE FROM audit_card WHERE at < @cut", cancellationToken, ("@cut", cut)).ConfigureAwait(false);
        var calls = await Database.ExecuteAsync(connection, transaction, "DELETE FROM audit_call WHERE at < @cut", cancellationToken, ("@cut", cut)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (calls > 0) LogPurged(log, calls, options.Value.AuditRetentionDays);
        return calls;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PurgeAsync(stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(TimeSpan.FromDays(1), clock);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await PurgeAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "audit retention: {Calls} calls older than {Days} days purged")]
    private static partial void LogPurged(ILogger log, int calls, int days);
}

public static class StorageExtensions
{
    public static void AddCmlCdsStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var database = Database.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(PatientKeys.FromConfiguration(builder.Configuration, builder.Environment));
        builder.Services.AddHostedService<DatabaseMigrator>(); // first: the others need the schema
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        builder.Services.AddSingleton<AuditRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditRetention>());
        builder.Services.AddSingleton<FeedbackStore>();
        builder.Services.AddSingleton<Analytics>();
        if (database.Provider == StorageProvider.Postgres)
        {
            // Several instances on one database: a jti used on one is refused on every other.
            builder.Services.AddSingleton<PostgresReplayGuard>();
            builder.Services.Replace(ServiceDescriptor.Singleton<CmlCds.Api.Security.IReplayGuard>(sp => sp.GetRequiredService<PostgresReplayGuard>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresReplayGuard>());
        }
    }
}
