using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CmlCds.Hooks.Protocol;

/// <summary>The body of POST {baseUrl}/cds-services/{id}/feedback (CDS Hooks 2.0 §Feedback): an object holding an array.</summary>
public sealed class FeedbackRequest
{
    public List<FeedbackItem>? Feedback { get; set; }
    /// <summary>CDS Hooks §Extensions: accepted, never stored. Any other unknown member is refused.</summary>
    public System.Text.Json.JsonElement? Extension { get; set; }
}

public sealed class FeedbackItem
{
    /// <summary>The <c>card.uuid</c> this feedback answers.</summary>
    public string? Card { get; set; }
    /// <summary><c>accepted</c> or <c>overridden</c>.</summary>
    public string? Outcome { get; set; }
    public List<AcceptedSuggestion>? AcceptedSuggestions { get; set; }
    public FeedbackOverrideReason? OverrideReason { get; set; }
    /// <summary>RFC 3339 §5.6 date-time, e.g. <c>2021-12-11T10:05:31Z</c>.</summary>
    public string? OutcomeTimestamp { get; set; }
    /// <summary>CDS Hooks §Extensions: accepted, never stored.</summary>
    public System.Text.Json.JsonElement? Extension { get; set; }
}

public sealed class AcceptedSuggestion
{
    public string? Id { get; set; }
}

public sealed class FeedbackOverrideReason
{
    public CdsCoding? Reason { get; set; }
    public string? UserComment { get; set; }
    /// <summary>CDS Hooks §Extensions: accepted, never stored.</summary>
    public System.Text.Json.JsonElement? Extension { get; set; }
}

/// <summary>A feedback item that passed validation, normalised for storage.</summary>
/// <param name="Id">A hash of the item's content: the same item posted twice has the same id, and is stored once.</param>
public sealed record ValidFeedback(string Id, Guid Card, string Outcome, DateTimeOffset OutcomeAt, IReadOnlyList<string> AcceptedSuggestions,
    CdsCoding? Reason, string? UserComment);

/// <summary>
/// Validates a feedback request item by item (CDS Hooks 2.0 §Feedback). Any invalid item rejects the whole request,
/// so a client never has half a request stored. What is stored is bounded: at most <see cref="MaxItems"/> items per
/// request, <see cref="MaxCommentLength"/> characters of <c>userComment</c>, <see cref="MaxSuggestions"/> accepted
/// suggestions of at most <see cref="MaxIdLength"/> characters, <see cref="MaxCodingLength"/> characters per coding
/// field; timestamps strictly RFC 3339 (upper-case <c>T</c> and <c>Z</c>, 1–9 fractional digits, nothing after the
/// offset) in the years <see cref="MinYear"/>–<see cref="MaxYear"/>.
/// </summary>
public static partial class FeedbackValidator
{
    public const int MaxItems = 100;
    public const int MaxCommentLength = 4000;
    public const int MaxSuggestions = 20;
    public const int MaxIdLength = 128;
    public const int MaxCodingLength = 256;
    public const int MinYear = 2000;
    public const int MaxYear = 2999;

    public static (IReadOnlyList<ValidFeedback> Items, IReadOnlyList<string> Errors) Validate(FeedbackRequest? request)
    {
        var errors = new List<string>();
        var items = new List<ValidFeedback>();
        if (request?.Feedback is not { Count: > 0 } feedback)
            return ([], ["'feedback' must be a non-empty array."]);
        if (feedback.Count > MaxItems)
            return ([], [$"'feedback' holds {feedback.Count} items; at most {MaxItems} per request."]);
        for (var i = 0; i < feedback.Count; i++)
        {
            var f = feedback[i];
            var at = $"feedback[{i}]";
            if (f is null) { errors.Add($"{at} must be an object."); continue; }
            var before = errors.Count;
            if (!Guid.TryParse(f.Card, out var card)) errors.Add($"{at}.card must be the uuid of a card this service returned.");
            if (f.Outcome is not ("accepted" or "overridden")) errors.Add($"{at}.outcome must be 'accepted' or 'overridden'.");
            if (f.Outcome == "accepted")
            {
                if (f.AcceptedSuggestions is not { Count: > 0 }) errors.Add($"{at}.acceptedSuggestions is required when the outcome is 'accepted'.");
                else if (f.AcceptedSuggestions.Exists(s => string.IsNullOrWhiteSpace(s?.Id))) errors.Add($"{at}.acceptedSuggestions[].id is required.");
                else if (f.AcceptedSuggestions.Count > MaxSuggestions) errors.Add($"{at}.acceptedSuggestions holds more than {MaxSuggestions} items.");
                else if (f.AcceptedSuggestions.Exists(s => s.Id!.Length > MaxIdLength)) errors.Add($"{at}.acceptedSuggestions[].id is longer than {MaxIdLength} characters.");
                if (f.OverrideReason is not null) errors.Add($"{at}.overrideReason goes with the outcome 'overridden' only.");
            }
            if (f.Outcome == "overridden")
            {
                if (f.AcceptedSuggestions is { Count: > 0 }) errors.Add($"{at}.acceptedSuggestions goes with the outcome 'accepted' only.");
                if (f.OverrideReason is { } reason)
                {
                    if (reason.Reason is null && string.IsNullOrWhiteSpace(reason.UserComment))
                        errors.Add($"{at}.overrideReason needs a reason, a userComment, or both.");
                    if (reason.Reason is { } coding && (string.IsNullOrWhiteSpace(coding.Code) || string.IsNullOrWhiteSpace(coding.System)))
                        errors.Add($"{at}.overrideReason.reason needs a code and a system.");
                    else if (reason.Reason is { } c && (c.Code.Length > MaxCodingLength || c.System.Length > MaxCodingLength || c.Display?.Length > MaxCodingLength))
                        errors.Add($"{at}.overrideReason.reason: code, system and display are at most {MaxCodingLength} characters each.");
                    if (reason.UserComment?.Length > MaxCommentLength)
                        errors.Add($"{at}.overrideReason.userComment is {reason.UserComment.Length} characters; at most {MaxCommentLength}.");
                }
            }
            if (!TryParseTimestamp(f.OutcomeTimestamp, out var outcomeAt))
                errors.Add($"{at}.outcomeTimestamp must be an RFC 3339 date-time in the years {MinYear}-{MaxYear}, e.g. 2021-12-11T10:05:31Z.");
            if (errors.Count > before) continue;

            var suggestions = f.AcceptedSuggestions?.Select(s => s.Id!).Order(StringComparer.Ordinal).ToList() ?? [];
            var reasonCoding = f.OverrideReason?.Reason;
            var comment = string.IsNullOrWhiteSpace(f.OverrideReason?.UserComment) ? null : f.OverrideReason!.UserComment;
            items.Add(new ValidFeedback(ContentId(card, f.Outcome!, outcomeAt, suggestions, reasonCoding, comment), card, f.Outcome!, outcomeAt,
                suggestions, reasonCoding, comment));
        }
        return errors.Count > 0 ? ([], errors) : (items, []);
    }

    /// <summary>
    /// RFC 3339 §5.6 <c>date-time</c>, strictly: full date, 'T', time with 1–9 fractional digits or none, and 'Z' or an
    /// offset, nothing before or after (no trailing newline); the year within <see cref="MinYear"/>–<see cref="MaxYear"/>.
    /// </summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value)
            && value.Year is >= MinYear and <= MaxYear;
    }

    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    private static string ContentId(Guid card, string outcome, DateTimeOffset at, IReadOnlyList<string> suggestions, CdsCoding? reason, string? comment)
    {
        var canonical = string.Join("\n", card.ToString("D"), outcome, at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            string.Join(",", suggestions), reason?.System ?? "", reason?.Code ?? "", comment ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
