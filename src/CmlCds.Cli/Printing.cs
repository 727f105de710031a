using System.Text;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Cli;

internal static class Printing
{
    /// <summary>One line per card: indicator, topic, summary; below it, a line per suggestion it offers.</summary>
    public static string Table(CdsResponse response)
    {
        if (response.Cards.Count == 0) return "(no cards)\n";
        var sb = new StringBuilder();
        var topicWidth = Math.Max(5, response.Cards.Max(c => c.Source.Topic?.Code.Length ?? 0));
        var indent = new string(' ', 9 + 2 + topicWidth + 2);
        sb.Append($"{"indicator",-9}  {"topic".PadRight(topicWidth)}  summary\n");
        foreach (var c in response.Cards)
        {
            sb.Append($"{c.Indicator.ToString().ToLowerInvariant(),-9}  {(c.Source.Topic?.Code ?? "").PadRight(topicWidth)}  {c.Summary}\n");
            foreach (var s in c.Suggestions ?? [])
                sb.Append(indent).Append("suggests: ").Append(s.Label).Append('\n');
        }
        return sb.ToString();
    }
}
