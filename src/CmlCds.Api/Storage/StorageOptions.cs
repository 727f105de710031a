using System.ComponentModel.DataAnnotations;

namespace CmlCds.Api.Storage;

public enum StorageProvider { Sqlite, Postgres }

/// <summary>When a hook call's audit reaches the database (README, "Feedback, audit and analytics").</summary>
public enum AuditDurability
{
    /// <summary>Queued and written in batches every <see cref="StorageOptions.AuditFlushMs"/>: a crash (SIGKILL, power loss) loses the last batch.</summary>
    Batched,
    /// <summary>Written (committed) before the hook call is answered; a call whose audit cannot be written is a 503.</summary>
    Synchronous,
}

/// <summary>
/// Configuration section <c>Storage</c> and the connection string <c>ConnectionStrings:CmlCds</c>: SQLite (default,
/// a file under the content root, created on first run, WAL) or PostgreSQL (an Npgsql connection string).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string ConnectionStringName = "CmlCds";
    public const string DefaultSqliteFile = "cmlcds.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Audit rows (calls, cards) older than this are purged, once a day.</summary>
    [Range(1, 36500)]
    public int AuditRetentionDays { get; set; } = 365;

    /// <summary><see cref="AuditDurability.Batched"/> (default) or <see cref="AuditDurability.Synchronous"/>.</summary>
    public AuditDurability AuditDurability { get; set; } = AuditDurability.Batched;

    /// <summary>The audit of a hook call is written at most this long after the call (batched off the hook path).</summary>
    [Range(10, 10_000)]
    public int AuditFlushMs { get; set; } = 200;

    /// <summary>Audit records held waiting for the database; past it new ones are dropped (and counted in the log), the hook is never slowed.</summary>
    [Range(100, 1_000_000)]
    public int AuditQueueCapacity { get; set; } = 20_000;
}
