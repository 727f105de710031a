using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CmlCds.Cli;

/// <summary>
/// Sample patients: one FHIR transaction Bundle per scenario of cds-hooks/ (same scenario ids), built from the
/// scenario's prefetch. Dates are relative to <see cref="ReferenceDate"/> (the golden tests' clock);
/// <see cref="ShiftDates"/> moves every date so the same story happens around another day.
/// </summary>
public static partial class SampleBundles
{
    public static readonly DateOnly ReferenceDate = new(2026, 6, 1);

    /// <summary>A transaction of PUTs (ids kept, so references and the cards' evidence stay the same).</summary>
    public static JsonObject FromHookRequest(JsonObject request)
    {
        var entries = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in request["prefetch"]?.AsObject() ?? [])
        {
            if (value is null) continue;
            var resources = (string?)value["resourceType"] == "Bundle" ? value["entry"]?.AsArray().Select(e => e!["resource"]!) ?? [] : [value];
            foreach (var resource in resources)
            {
                var reference = $"{resource["resourceType"]}/{resource["id"]}";
                if (!seen.Add(reference)) continue;
                entries.Add(new JsonObject
                {
                    ["fullUrl"] = reference,
                    ["resource"] = resource.DeepClone(),
                    ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = reference },
                });
            }
        }
        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
    }

    /// <summary>Moves every FHIR date and dateTime string in the JSON by <paramref name="days"/>, keeping the time and zone.</summary>
    public static JsonNode ShiftDates(JsonNode node, int days)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    if (o[key] is { } child && ShiftDates(child, days) is var shifted && !ReferenceEquals(shifted, child)) o[key] = shifted;
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is { } child && ShiftDates(child, days) is var shifted && !ReferenceEquals(shifted, child)) a[i] = shifted;
                return a;
            case JsonValue v when v.TryGetValue<string>(out var text) && FhirDateStart().Match(text) is { Success: true } m:
                var date = DateOnly.ParseExact(m.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(days);
                return JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + text[10..])!;
            default:
                return node;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?=$|T)")]
    private static partial Regex FhirDateStart();
}
