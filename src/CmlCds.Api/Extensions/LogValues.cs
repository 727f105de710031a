using System.Globalization;
using System.Text;

namespace CmlCds.Api.Extensions;

/// <summary>
/// Request values written to logs (issue 17 item 7): control characters, line and paragraph separators and
/// bidirectional overrides are escaped as <c>\uXXXX</c> (<c>\r</c>, <c>\n</c>, <c>\t</c> by name), and the value is cut
/// at <see cref="MaxLength"/> characters, so no request can write a line of its own or reorder a line on screen.
/// </summary>
public static class LogValues
{
    public const int MaxLength = 128;

    public static string Escape(string? value)
    {
        if (value is null) return "-";
        var cut = value.Length > MaxLength;
        var text = cut ? value[..MaxLength] : value;
        if (!cut && !text.Any(NeedsEscape)) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\r': sb.Append("\\r"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (NeedsEscape(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        if (cut) sb.Append("...(").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\\' or '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f';
}
