using System.Security.Cryptography;
using System.Text;
using CmlCds.Api.Security;

namespace CmlCds.Api.Storage;

/// <summary>
/// Replay protection shared by every instance on one PostgreSQL database: each token's issuer + <c>jti</c> is a row of
/// <c>jti_seen</c> under its primary key, inserted or refused in one statement (one round trip). A row whose token
/// has expired is taken over by the new token in the same statement; expired rows are purged once a minute. The key
/// is a SHA-256 of issuer and jti, so a row has a fixed size whatever the token holds.
/// </summary>
public sealed partial class PostgresReplayGuard(Database database, TimeProvider clock, ILogger<PostgresReplayGuard> log) : BackgroundService, IReplayGuard
{
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    public async ValueTask<bool> TryRegisterAsync(string issuer, string jti, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await Database.ExecuteAsync(connection, null, """
            INSERT INTO jti_seen (token_key, expires_at) VALUES (@key, @expires)
            ON CONFLICT (token_key) DO UPDATE SET expires_at = excluded.expires_at WHERE jti_seen.expires_at < @now
            """, cancellationToken,
            ("@key", Key(issuer, jti)), ("@expires", expires.ToUnixTimeSeconds()), ("@now", clock.GetUtcNow().ToUnixTimeSeconds())).ConfigureAwait(false);
        return inserted == 1;
    }

    public static string Key(string issuer, string jti) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + jti)));

    /// <summary>Deletes the rows of expired tokens; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await Database.ExecuteAsync(connection, null, "DELETE FROM jti_seen WHERE expires_at < @now", cancellationToken,
            ("@now", clock.GetUtcNow().ToUnixTimeSeconds())).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PurgeInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await PurgeAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (System.Data.Common.DbException e)
                {
                    LogPurgeFailed(log, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "purge of expired jti rows failed ({Error}); retried in a minute")]
    private static partial void LogPurgeFailed(ILogger log, string error);
}
