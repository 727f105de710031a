using System.Net.Http.Headers;
using System.Text;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Cli;

internal static class Printing
{
    /// <summary>One line per card: indicator, topic, summary.</summary>
    public static string Table(CdsResponse response)
    {
        if (response.Cards.Count == 0) return "(no cards)\n";
        var sb = new StringBuilder();
        var topicWidth = Math.Max(5, response.Cards.Max(c => c.Source.Topic?.Code.Length ?? 0));
        sb.Append($"{"indicator",-9}  {"topic".PadRight(topicWidth)}  summary\n");
        foreach (var c in response.Cards)
            sb.Append($"{c.Indicator.ToString().ToLowerInvariant(),-9}  {(c.Source.Topic?.Code ?? "").PadRight(topicWidth)}  {c.Summary}\n");
        return sb.ToString();
    }

    public static HttpClient Client(string? bearer)
    {
        var http = new HttpClient();
        if (bearer is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }
}
