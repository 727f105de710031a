using System.Text;

namespace CmlCds.Hooks.Cards;

/// <summary>Small GitHub-Flavored-Markdown writer for card details: escapes table cells, builds tables.</summary>
internal static class Markdown
{
    public static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    public static void Table(StringBuilder sb, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        sb.Append("| ").AppendJoin(" | ", headers.Select(Cell)).Append(" |\n");
        sb.Append('|').AppendJoin("|", headers.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
            sb.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        sb.Append('\n');
    }

    /// <summary>Keeps a summary under the CDS Hooks limit (&lt; 140 characters).</summary>
    public static string Summary(string text) => text.Length < 140 ? text : string.Concat(text.AsSpan(0, 138), "…");
}
