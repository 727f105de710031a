using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Json;

/// <summary>
/// FHIR R4 JSON for the project's model: source-generated metadata, camelCase, no null members and no empty
/// arrays (FHIR forbids both), decimals exact. The one entry point for reading and writing resources.
/// </summary>
public static class FhirJson
{
    /// <summary>Options for FHIR JSON; use these (or <see cref="ResourceInfo"/>) when embedding resources in other JSON.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonTypeInfo<Resource> ResourceInfo { get; } = (JsonTypeInfo<Resource>)Options.GetTypeInfo(typeof(Resource));

    public static Resource Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, ResourceInfo) ?? throw new JsonException("JSON null is not a FHIR resource.");

    public static Resource Parse(string json) =>
        JsonSerializer.Deserialize(json, ResourceInfo) ?? throw new JsonException("JSON null is not a FHIR resource.");

    public static async ValueTask<Resource> ParseAsync(Stream utf8Json, CancellationToken cancellationToken = default) =>
        await JsonSerializer.DeserializeAsync(utf8Json, ResourceInfo, cancellationToken).ConfigureAwait(false)
        ?? throw new JsonException("JSON null is not a FHIR resource.");

    public static T Parse<T>(string json) where T : Resource =>
        Parse(json) as T ?? throw new JsonException($"The JSON is not a {typeof(T).Name}.");

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, ResourceInfo);

    public static byte[] SerializeToUtf8Bytes(Resource resource) => JsonSerializer.SerializeToUtf8Bytes(resource, ResourceInfo);

    public static void Write(Utf8JsonWriter writer, Resource resource) => JsonSerializer.Serialize(writer, resource, ResourceInfo);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(FhirJsonContext.Default.Options)
        {
            TypeInfoResolver = FhirJsonContext.Default.WithAddedModifier(OmitEmptyCollections).WithAddedModifier(RejectNullItems),
            // Readable markdown and narrative ('>' stays '>'); the output is JSON for APIs, never inlined in HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// FHIR JSON: an array item is never <c>null</c> (only the parallel <c>_element</c> arrays of primitives hold nulls,
    /// and the model keeps those as extension data). A null item is refused when the list is set, so the reader stops
    /// with a <see cref="JsonException"/> whose path names the array, instead of a null reaching the mapping.
    /// </summary>
    internal static void RejectNullItems(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.IsExtensionData || property.Set is not { } set || !typeof(IList).IsAssignableFrom(property.PropertyType))
                continue;
            var name = property.Name;
            property.Set = (target, value) =>
            {
                if (value is IList list && list.Contains(null))
                    throw new JsonException($"'{name}' holds a null item; FHIR JSON arrays hold no nulls.");
                set(target, value);
            };
        }
    }

    /// <summary>FHIR: "arrays SHALL NOT be empty". Applied once per type when its metadata is built.</summary>
    internal static void OmitEmptyCollections(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.IsExtensionData || !typeof(ICollection).IsAssignableFrom(property.PropertyType))
                continue;
            property.ShouldSerialize = static (_, value) => value is ICollection { Count: > 0 };
        }
    }
}
