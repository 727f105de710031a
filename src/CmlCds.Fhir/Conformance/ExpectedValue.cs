using System.Globalization;
using System.Text.Json;

namespace CmlCds.Fhir.Conformance;

/// <summary>
/// A <c>fixed[x]</c> or <c>pattern[x]</c> value compiled once when the package loads, so that matching an instance
/// reads no JSON. A pattern holds when every member it names is in the instance with a matching value (each array
/// item matching some instance item); a fixed value must also have nothing more (same members, same array lengths).
/// </summary>
internal sealed class ExpectedValue
{
    private readonly string? _text;
    private readonly decimal? _number;
    private readonly Member[]? _members;

    private sealed record Member(string Name, ExpectedValue[] Items, bool IsArray);

    public JsonElement Json { get; }

    private ExpectedValue(JsonElement json)
    {
        Json = json;
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                _members = json.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Array
                    ? new Member(p.Name, p.Value.EnumerateArray().Select(Compile).ToArray(), true)
                    : new Member(p.Name, [Compile(p.Value)], false)).ToArray();
                break;
            case JsonValueKind.Number:
                _number = json.GetDecimal();
                _text = json.GetRawText();
                break;
            case JsonValueKind.String:
                _text = json.GetString();
                break;
            default:
                _text = json.GetRawText();
                break;
        }
    }

    public static ExpectedValue Compile(JsonElement json) => new(json.Clone());

    public bool Matches(FhirNode node, bool exact)
    {
        if (_members is null)
        {
            if (node.PrimitiveText is not { } text) return false;
            return _number is { } n
                ? decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == n
                : string.Equals(_text, text, StringComparison.Ordinal);
        }
        if (!node.Exists || node.PrimitiveText is not null) return false;
        foreach (var member in _members)
        {
            var present = node.Children(member.Name);
            foreach (var wanted in member.Items)
                if (!AnyMatches(wanted, present, exact)) return false;
            if (exact && present.Count() != member.Items.Length) return false;
        }
        if (!exact) return true;
        foreach (var name in node.Names())
            if (Array.FindIndex(_members, m => m.Name == name) < 0) return false;
        return true;
    }

    private static bool AnyMatches(ExpectedValue wanted, FhirNode.ChildList present, bool exact)
    {
        foreach (var p in present)
            if (wanted.Matches(p, exact)) return true;
        return false;
    }

    /// <summary>Whether this is the pattern <c>{coding: [{system, code}]}</c> of exactly one coding and nothing else.</summary>
    public bool IsSingleCoding(out string system, out string code)
    {
        system = code = "";
        if (_members is not [{ Name: "coding", Items: [{ _members: { Length: 2 } coding }] }]) return false;
        var s = Array.Find(coding, m => m.Name == "system");
        var c = Array.Find(coding, m => m.Name == "code");
        if (s is not { Items: [{ _text: { } st, _members: null }] } || c is not { Items: [{ _text: { } ct, _members: null }] }) return false;
        (system, code) = (st, ct);
        return true;
    }

    public override string ToString() => Json.ValueKind == JsonValueKind.String ? $"'{_text}'" : Json.GetRawText();
}
