using System.Text.Json;
using System.Text.Json.Serialization;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Protocol;

/// <summary>
/// The <c>prefetch</c> object of a hook request. CDS Hooks 2.0: a key that is absent was not prefetched; a key
/// whose value is <c>null</c> means the client found no data (known empty, not to be queried again).
/// </summary>
[JsonConverter(typeof(PrefetchJsonConverter))]
public sealed class Prefetch
{
    private readonly Dictionary<string, Resource?> _values = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys => _values.Keys;
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>True when the key was sent; <paramref name="resource"/> is null when it was sent as <c>null</c>.</summary>
    public bool TryGet(string key, out Resource? resource) => _values.TryGetValue(key, out resource);

    public void Set(string key, Resource? resource) => _values[key] = resource;

    internal IReadOnlyDictionary<string, Resource?> Values => _values;
}

/// <summary>Reads each prefetch value with the FHIR JSON layer (one pass, no intermediate DOM).</summary>
public sealed class PrefetchJsonConverter : JsonConverter<Prefetch>
{
    public override Prefetch Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("'prefetch' must be a JSON object.");
        var prefetch = new Prefetch();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            try
            {
                prefetch.Set(key, reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize(ref reader, FhirJson.ResourceInfo));
            }
            catch (JsonException e)
            {
                throw new JsonException($"prefetch.{key}: {e.Message}", e);
            }
        }
        return prefetch;
    }

    public override void Write(Utf8JsonWriter writer, Prefetch value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, resource) in value.Values)
        {
            writer.WritePropertyName(key);
            if (resource is null) writer.WriteNullValue();
            else FhirJson.Write(writer, resource);
        }
        writer.WriteEndObject();
    }
}
