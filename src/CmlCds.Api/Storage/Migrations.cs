namespace CmlCds.Api.Storage;

/// <summary>
/// Schema versions, applied in order at start-up inside one transaction each, recorded in <c>schema_version</c>.
/// Never edit a released migration: add the next one. The SQL runs unchanged on SQLite and PostgreSQL.
/// </summary>
public static class Migrations
{
    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> All =
    [
        (1, "audit of hook calls and cards; feedback", """
            CREATE TABLE audit_call (
                id TEXT PRIMARY KEY,
                hook_instance TEXT NOT NULL,
                service_id TEXT NOT NULL,
                at TEXT NOT NULL,
                issuer TEXT,
                tenant TEXT,
                patient_key TEXT,
                status INTEGER NOT NULL,
                resolve_ms REAL,
                evaluate_ms REAL,
                total_ms REAL,
                card_count INTEGER NOT NULL
            );
            CREATE INDEX ix_audit_call_at ON audit_call (at);
            CREATE TABLE audit_card (
                card_uuid TEXT PRIMARY KEY,
                call_id TEXT NOT NULL,
                at TEXT NOT NULL,
                topic TEXT NOT NULL,
                indicator TEXT NOT NULL
            );
            CREATE INDEX ix_audit_card_at ON audit_card (at);
            CREATE TABLE audit_card_rule (
                card_uuid TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                PRIMARY KEY (card_uuid, rule_id)
            );
            CREATE TABLE feedback (
                id TEXT PRIMARY KEY,
                card_uuid TEXT NOT NULL,
                outcome TEXT NOT NULL,
                outcome_at TEXT NOT NULL,
                accepted_suggestions TEXT,
                reason_system TEXT,
                reason_code TEXT,
                reason_display TEXT,
                user_comment TEXT,
                issuer TEXT,
                received_at TEXT NOT NULL
            );
            CREATE INDEX ix_feedback_card ON feedback (card_uuid);
            """),
        (2, "JWT jti seen, shared by every instance (used on PostgreSQL)", """
            CREATE TABLE jti_seen (
                token_key TEXT PRIMARY KEY,
                expires_at BIGINT NOT NULL
            );
            CREATE INDEX ix_jti_seen_expires ON jti_seen (expires_at);
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>Creates <c>schema_version</c> when missing and applies every migration newer than the recorded version.</summary>
    public static async Task<int> ApplyAsync(Database database, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Instances starting together on one PostgreSQL database: one migrates, the others wait (concurrent CREATE TABLE
        // IF NOT EXISTS can fail in PostgreSQL). The lock is the session's, released when the connection closes.
        if (database.Provider == StorageProvider.Postgres)
            await Database.ExecuteAsync(connection, null, "SELECT pg_advisory_lock(4242001)", cancellationToken).ConfigureAwait(false);
        await Database.ExecuteAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)", cancellationToken).ConfigureAwait(false);
        var applied = 0;
        foreach (var (version, description, sql) in All)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (database.Provider == StorageProvider.Postgres) // one migrator at a time across instances
                await Database.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(4242001)", cancellationToken).ConfigureAwait(false);
            await using (var check = Database.Command(connection, transaction, "SELECT COUNT(*) FROM schema_version WHERE version = @v", ("@v", version)))
            {
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            await Database.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await Database.ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, description, applied_at) VALUES (@v, @d, @t)", cancellationToken,
                ("@v", version), ("@d", description), ("@t", Database.Timestamp(DateTimeOffset.UtcNow))).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }
        if (database.Provider == StorageProvider.Postgres)
            await Database.ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(4242001)", cancellationToken).ConfigureAwait(false);
        return applied;
    }
}
