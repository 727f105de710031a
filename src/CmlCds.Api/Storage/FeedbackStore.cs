using CmlCds.Hooks.Protocol;

namespace CmlCds.Api.Storage;

/// <summary>Stores feedback durably: one transaction per request, committed before the 200; the same item twice is stored once.</summary>
public sealed class FeedbackStore(Database database, TimeProvider clock)
{
    /// <returns>How many items were new (the rest were already stored).</returns>
    public async Task<int> SaveAsync(IReadOnlyList<ValidFeedback> items, string? issuer, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var stored = 0;
        var received = Database.Timestamp(clock.GetUtcNow());
        foreach (var f in items)
        {
            stored += await Database.ExecuteAsync(connection, transaction, """
                INSERT INTO feedback (id, card_uuid, outcome, outcome_at, accepted_suggestions, reason_system, reason_code, reason_display, user_comment, issuer, received_at)
                VALUES (@id, @card, @outcome, @at, @suggestions, @system, @code, @display, @comment, @issuer, @received)
                ON CONFLICT (id) DO NOTHING
                """, cancellationToken,
                ("@id", f.Id), ("@card", f.Card.ToString("D")), ("@outcome", f.Outcome), ("@at", Database.Timestamp(f.OutcomeAt)),
                ("@suggestions", f.AcceptedSuggestions.Count == 0 ? null : string.Join(",", f.AcceptedSuggestions)),
                ("@system", f.Reason?.System), ("@code", f.Reason?.Code), ("@display", f.Reason?.Display), ("@comment", f.UserComment),
                ("@issuer", issuer), ("@received", received)).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }
}
