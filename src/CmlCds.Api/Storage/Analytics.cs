using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace CmlCds.Api.Storage;

public sealed record ReasonCount(string? System, string? Code, string? Display, long Count);

/// <summary>Per card topic and rule id: cards shown, and how clinicians answered them.</summary>
public sealed record AnalyticsRow(string Topic, string RuleId, long Shown, long Accepted, long Overridden, IReadOnlyList<ReasonCount> OverrideReasons);

/// <param name="From">First day included (UTC).</param>
/// <param name="To">Last day included (UTC).</param>
public sealed record AnalyticsReport(string From, string To, IReadOnlyList<AnalyticsRow> Rows);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnalyticsReport))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;

/// <summary>What informaticists tune the rules by: cards shown per topic and rule, accepted, overridden and why.</summary>
public sealed class Analytics(Database database)
{
    public async Task<AnalyticsReport> ReportAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var lo = Database.Timestamp(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var hi = Database.Timestamp(new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        var reasons = new Dictionary<(string, string), List<ReasonCount>>();
        await using (var command = Database.Command(connection, null, """
            SELECT c.topic, r.rule_id, f.reason_system, f.reason_code, MAX(f.reason_display), COUNT(*)
            FROM audit_card c
            JOIN audit_card_rule r ON r.card_uuid = c.card_uuid
            JOIN feedback f ON f.card_uuid = c.card_uuid
            WHERE f.outcome = 'overridden' AND c.at >= @lo AND c.at < @hi
            GROUP BY c.topic, r.rule_id, f.reason_system, f.reason_code
            ORDER BY COUNT(*) DESC, f.reason_code
            """, ("@lo", lo), ("@hi", hi)))
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (rows.GetString(0), rows.GetString(1));
                if (!reasons.TryGetValue(key, out var list)) reasons[key] = list = [];
                list.Add(new ReasonCount(Text(rows, 2), Text(rows, 3), Text(rows, 4), rows.GetInt64(5)));
            }
        }

        var result = new List<AnalyticsRow>();
        await using (var command = Database.Command(connection, null, """
            SELECT c.topic, r.rule_id,
                   COUNT(DISTINCT c.card_uuid),
                   COUNT(DISTINCT CASE WHEN f.outcome = 'accepted' THEN c.card_uuid END),
                   COUNT(DISTINCT CASE WHEN f.outcome = 'overridden' THEN c.card_uuid END)
            FROM audit_card c
            JOIN audit_card_rule r ON r.card_uuid = c.card_uuid
            LEFT JOIN feedback f ON f.card_uuid = c.card_uuid
            WHERE c.at >= @lo AND c.at < @hi
            GROUP BY c.topic, r.rule_id
            ORDER BY c.topic, r.rule_id
            """, ("@lo", lo), ("@hi", hi)))
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (rows.GetString(0), rows.GetString(1));
                result.Add(new AnalyticsRow(key.Item1, key.Item2, rows.GetInt64(2), rows.GetInt64(3), rows.GetInt64(4), reasons.GetValueOrDefault(key) ?? []));
            }
        }
        return new AnalyticsReport(Day(from), Day(to), result);
    }

    private static string? Text(System.Data.Common.DbDataReader rows, int i) => rows.IsDBNull(i) ? null : rows.GetString(i);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Table(AnalyticsReport report)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"CML CDS card analytics, {report.From} to {report.To} (UTC)\n\n");
        var header = new[] { "topic", "rule", "shown", "accepted", "overridden", "override reasons" };
        var lines = report.Rows.Select(r => new[]
        {
            r.Topic, r.RuleId, r.Shown.ToString(CultureInfo.InvariantCulture), r.Accepted.ToString(CultureInfo.InvariantCulture),
            r.Overridden.ToString(CultureInfo.InvariantCulture),
            string.Join("; ", r.OverrideReasons.Select(x => $"{x.Code ?? "(no reason)"} {x.Count}")),
        }).ToList();
        var widths = header.Select((h, i) => lines.Select(l => l[i].Length).Append(h.Length).Max()).ToArray();
        void Line(string[] cells) => sb.Append(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i])))).Append('\n');
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var l in lines) Line(l);
        if (lines.Count == 0) sb.Append("(no cards in this period)\n");
        return sb.ToString();
    }
}
