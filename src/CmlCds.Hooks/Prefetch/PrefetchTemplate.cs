using System.Text;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Prefetch;

/// <summary>
/// Fills CDS Hooks 2.0 prefetch tokens: <c>{{context.name}}</c> (a root-level context field with a primitive
/// value) and the user identifiers <c>{{userPractitionerId}}</c>, <c>{{userPractitionerRoleId}}</c>,
/// <c>{{userPatientId}}</c>, <c>{{userRelatedPersonId}}</c>, derived from <c>context.userId</c>
/// (e.g. <c>Practitioner/123</c> gives userPractitionerId <c>123</c>).
/// </summary>
public static class PrefetchTemplate
{
    /// <summary>The query with every token replaced, or null when a token has no value in this request.</summary>
    public static string? Fill(string template, HookRequest request)
    {
        var sb = new StringBuilder(template.Length + 32);
        var pos = 0;
        while (pos < template.Length)
        {
            var open = template.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0) { sb.Append(template, pos, template.Length - pos); break; }
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) { sb.Append(template, pos, template.Length - pos); break; }
            sb.Append(template, pos, open - pos);
            var token = template.AsSpan(open + 2, close - open - 2).Trim().ToString();
            var value = Resolve(token, request);
            if (value is null) return null;
            sb.Append(Uri.EscapeDataString(value));
            pos = close + 2;
        }
        return sb.ToString();
    }

    /// <summary>The tokens a template uses, for validating templates at start-up.</summary>
    public static IEnumerable<string> Tokens(string template)
    {
        var pos = 0;
        while (true)
        {
            var open = template.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0) yield break;
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) yield break;
            yield return template[(open + 2)..close].Trim();
            pos = close + 2;
        }
    }

    public static bool IsValidToken(string token) =>
        (token.StartsWith("context.", StringComparison.Ordinal) && token.Length > 8 && !token[8..].Contains('.'))
        || UserTokens.ContainsKey(token);

    private static readonly Dictionary<string, string> UserTokens = new(StringComparer.Ordinal)
    {
        ["userPractitionerId"] = "Practitioner",
        ["userPractitionerRoleId"] = "PractitionerRole",
        ["userPatientId"] = "Patient",
        ["userRelatedPersonId"] = "RelatedPerson",
    };

    private static string? Resolve(string token, HookRequest request)
    {
        if (token.StartsWith("context.", StringComparison.Ordinal))
            return request.ContextValue(token["context.".Length..]);
        if (UserTokens.TryGetValue(token, out var type) && request.ContextValue("userId") is { } userId)
        {
            var slash = userId.IndexOf('/');
            return slash > 0 && userId.AsSpan(0, slash).SequenceEqual(type) ? userId[(slash + 1)..] : null;
        }
        return null;
    }
}
