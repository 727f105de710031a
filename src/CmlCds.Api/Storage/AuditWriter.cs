using System.Threading.Channels;
using CmlCds.Hooks.Cards;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Storage;

/// <summary>One hook call as the audit records it. No PHI: the patient is a keyed hash (<see cref="PatientKeys"/>).</summary>
public sealed record AuditRecord(string CallId, string HookInstance, string ServiceId, DateTimeOffset At, string? Issuer, string? Tenant,
    string? PatientKey, int Status, double? ResolveMs, double? EvaluateMs, double TotalMs, IReadOnlyList<CardRules> Cards);

/// <summary>
/// Writes the audit off the hook path: calls are queued in memory and written in one transaction every
/// <see cref="StorageOptions.AuditFlushMs"/> (200 ms by default), so a record is in the database at most that long after
/// its call (plus the write). A clean shutdown writes what is queued; a crash loses what is queued. A full queue drops new
/// records and says so in the log rather than slow the hook. With <see cref="AuditDurability.Synchronous"/> each call's
/// record is committed before the call is answered instead.
/// </summary>
public sealed partial class AuditWriter(Database database, IOptions<StorageOptions> options, ILogger<AuditWriter> log) : BackgroundService
{
    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.Value.AuditQueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private long _dropped;

    /// <summary>Records waiting to be written.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>
    /// Records a hook call's audit: queued (<see cref="AuditDurability.Batched"/>), or written and committed now
    /// (<see cref="AuditDurability.Synchronous"/>). False only when a synchronous write failed (logged).
    /// </summary>
    public async Task<bool> RecordAsync(AuditRecord record)
    {
        if (options.Value.AuditDurability == AuditDurability.Synchronous) return await WriteAsync([record]).ConfigureAwait(false);
        Enqueue(record);
        return true;
    }

    public void Enqueue(AuditRecord record)
    {
        if (!_queue.Writer.TryWrite(record) && Interlocked.Increment(ref _dropped) % 100 == 1)
            LogDropped(log, Interlocked.Read(ref _dropped));
    }

    /// <summary>
    /// The writer runs on a thread of its own: Microsoft.Data.Sqlite's async calls complete synchronously (with an fsync),
    /// and on a 2-core machine a thread-pool worker blocked on the disk delays the hook calls' timers and deadlines.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Loop(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Loop(CancellationToken stoppingToken)
    {
        var window = TimeSpan.FromMilliseconds(options.Value.AuditFlushMs);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            if (!stoppingToken.IsCancellationRequested) stoppingToken.WaitHandle.WaitOne(window); // batch for the window; at shutdown, write now
            var batch = new List<AuditRecord>();
            while (batch.Count < 5000 && reader.TryRead(out var record)) batch.Add(record);
            WriteAsync(batch).GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Closes the queue, lets the loop write what it holds, then writes anything still queued: the loop may never have
    /// started (a stop right after the start cancels it before it runs), and the shutdown must flush all the same.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var rest = new List<AuditRecord>();
        while (_queue.Reader.TryRead(out var record)) rest.Add(record);
        if (rest.Count > 0) await WriteAsync(rest).ConfigureAwait(false);
    }

    /// <summary>One transaction per batch, with one prepared command per table reused for every row.</summary>
    private async Task<bool> WriteAsync(List<AuditRecord> batch)
    {
        if (batch.Count == 0) return true;
        try
        {
            await using var connection = await database.OpenAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using var call = Database.Command(connection, transaction, """
                INSERT INTO audit_call (id, hook_instance, service_id, at, issuer, tenant, patient_key, status, resolve_ms, evaluate_ms, total_ms, card_count)
                VALUES (@id, @hook, @service, @at, @issuer, @tenant, @patient, @status, @resolve, @evaluate, @total, @cards)
                ON CONFLICT (id) DO NOTHING
                """, ("@id", ""), ("@hook", ""), ("@service", ""), ("@at", ""), ("@issuer", null), ("@tenant", null), ("@patient", null),
                ("@status", 0), ("@resolve", null), ("@evaluate", null), ("@total", 0.0), ("@cards", 0));
            await using var card = Database.Command(connection, transaction, """
                INSERT INTO audit_card (card_uuid, call_id, at, topic, indicator) VALUES (@uuid, @call, @at, @topic, @indicator)
                ON CONFLICT (card_uuid) DO NOTHING
                """, ("@uuid", ""), ("@call", ""), ("@at", ""), ("@topic", ""), ("@indicator", ""));
            await using var rule = Database.Command(connection, transaction,
                "INSERT INTO audit_card_rule (card_uuid, rule_id) VALUES (@uuid, @rule) ON CONFLICT (card_uuid, rule_id) DO NOTHING",
                ("@uuid", ""), ("@rule", ""));
            foreach (var r in batch)
            {
                var at = Database.Timestamp(r.At);
                await Run(call, r.CallId, r.HookInstance, r.ServiceId, at, r.Issuer, r.Tenant, r.PatientKey, r.Status, r.ResolveMs, r.EvaluateMs, r.TotalMs, r.Cards.Count).ConfigureAwait(false);
                foreach (var c in r.Cards)
                {
                    await Run(card, c.Uuid, r.CallId, at, c.Topic, c.Indicator.ToString().ToLowerInvariant()).ConfigureAwait(false);
                    foreach (var ruleId in c.RuleIds.Distinct())
                        await Run(rule, c.Uuid, ruleId).ConfigureAwait(false);
                }
            }
            await transaction.CommitAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            LogWriteFailed(log, batch.Count, e.GetType().Name + ": " + e.Message);
            return false;
        }
    }

    private static Task<int> Run(System.Data.Common.DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "audit queue full: {Dropped} audit records dropped so far (the hook calls themselves were answered)")]
    private static partial void LogDropped(ILogger log, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "audit write of {Count} calls failed ({Error})")]
    private static partial void LogWriteFailed(ILogger log, int count, string error);
}
