using System.Globalization;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Service;

/// <summary>
/// The size budget of a response (issue 17 item 5): at most one card per topic, and each card's detail at most
/// <see cref="MaxDetailCharacters"/> characters. A longer detail loses rows from the end of its longest tables first
/// (the header and the first rows stay, the text after the table too), with a line saying how many rows are not shown;
/// only if that is not enough is the detail cut at a line boundary. A chart with 100,000 unrelated entries then gives
/// a card of a few kilobytes, not megabytes.
/// </summary>
public static class ResponseBudget
{
    public const int MaxDetailCharacters = 16_000;

    /// <summary>Table rows kept in a shortened table (after its header and separator).</summary>
    public const int KeptRows = 50;

    public static CdsResponse Apply(CdsResponse response) =>
        response.Cards.Any(c => c.Detail?.Length > MaxDetailCharacters)
            ? new CdsResponse(response.Cards.Select(c => c.Detail?.Length > MaxDetailCharacters ? c with { Detail = Shorten(c.Detail, MaxDetailCharacters) } : c).ToList())
            : response;

    public static string Shorten(string detail, int max)
    {
        var lines = detail.Split('\n').ToList();
        while (Length(lines) > max && LongestTable(lines) is { Rows: > KeptRows } table)
        {
            var dropped = table.Rows - KeptRows;
            lines.RemoveRange(table.FirstRow + KeptRows, dropped);
            lines.Insert(table.FirstRow + KeptRows, "");
            lines.Insert(table.FirstRow + KeptRows + 1, $"*{dropped.ToString("N0", CultureInfo.InvariantCulture)} more rows not shown: the list is longer than a card can hold.*");
        }
        if (Length(lines) <= max) return string.Join('\n', lines);
        const string cut = "\n\n*The rest is not shown: it is longer than a card can hold.*";
        var text = string.Join('\n', lines);
        var end = text.LastIndexOf('\n', max - cut.Length);
        return text[..(end > 0 ? end : max - cut.Length)] + cut;
    }

    private static int Length(List<string> lines) => lines.Sum(l => l.Length + 1) - 1;

    /// <summary>The longest run of table lines (<c>|</c> first): where its data rows start and how many there are.</summary>
    private static (int FirstRow, int Rows)? LongestTable(List<string> lines)
    {
        (int FirstRow, int Rows)? best = null;
        for (var i = 0; i < lines.Count;)
        {
            if (!lines[i].StartsWith('|')) { i++; continue; }
            var start = i;
            while (i < lines.Count && lines[i].StartsWith('|')) i++;
            var rows = i - start - 2; // header and separator
            if (rows > 0 && (best is null || rows > best.Value.Rows)) best = (start + 2, rows);
        }
        return best;
    }
}
