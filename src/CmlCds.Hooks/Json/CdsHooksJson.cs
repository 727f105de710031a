using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Json;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    MaxDepth = 128)]
[JsonSerializable(typeof(HookRequest))]
[JsonSerializable(typeof(CdsResponse))]
[JsonSerializable(typeof(DiscoveryResponse))]
[JsonSerializable(typeof(FeedbackRequest))]
internal sealed partial class CdsHooksJsonContext : JsonSerializerContext;

/// <summary>
/// CDS Hooks JSON: camelCase, enums as the spec's lower-case strings (<c>at-most-one</c>), no null members and no
/// empty arrays (spec "Use of JSON"), except <c>cards</c> which is always written.
/// </summary>
public static class CdsHooksJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonTypeInfo<HookRequest> HookRequest => (JsonTypeInfo<HookRequest>)Options.GetTypeInfo(typeof(HookRequest));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, JsonTypeInfo<HookRequest>> ByDepth = new();

    /// <summary>The request metadata with a maximum nesting depth (configured once; cached per depth).</summary>
    public static JsonTypeInfo<HookRequest> RequestInfo(int maxDepth) => ByDepth.GetOrAdd(maxDepth, depth =>
    {
        var options = new JsonSerializerOptions(Options) { MaxDepth = depth };
        options.MakeReadOnly();
        return (JsonTypeInfo<HookRequest>)options.GetTypeInfo(typeof(HookRequest));
    });
    public static JsonTypeInfo<CdsResponse> Response => (JsonTypeInfo<CdsResponse>)Options.GetTypeInfo(typeof(CdsResponse));
    /// <summary>Feedback is stored, so it is read strictly: a member the spec does not name (other than <c>extension</c>) is a 400.</summary>
    public static JsonTypeInfo<FeedbackRequest> Feedback { get; } = StrictFeedback();

    private static JsonTypeInfo<FeedbackRequest> StrictFeedback()
    {
        var options = new JsonSerializerOptions(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        options.MakeReadOnly();
        return (JsonTypeInfo<FeedbackRequest>)options.GetTypeInfo(typeof(FeedbackRequest));
    }
    public static JsonTypeInfo<DiscoveryResponse> Discovery => (JsonTypeInfo<DiscoveryResponse>)Options.GetTypeInfo(typeof(DiscoveryResponse));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(CdsHooksJsonContext.Default.Options)
        {
            TypeInfoResolver = CdsHooksJsonContext.Default.WithAddedModifier(OmitEmptyCollectionsButCards),
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter<Indicator>(JsonNamingPolicy.KebabCaseLower));
        options.Converters.Add(new JsonStringEnumConverter<SelectionBehavior>(JsonNamingPolicy.KebabCaseLower));
        options.Converters.Add(new JsonStringEnumConverter<ActionType>(JsonNamingPolicy.KebabCaseLower));
        options.Converters.Add(new JsonStringEnumConverter<LinkType>(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly();
        return options;
    }

    private static void OmitEmptyCollectionsButCards(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.IsExtensionData || !typeof(IEnumerable).IsAssignableFrom(property.PropertyType) || property.PropertyType == typeof(string))
                continue;
            if (info.Type == typeof(CdsResponse) && property.Name == "cards")
                continue;
            property.ShouldSerialize = static (_, value) => value is not (null or ICollection { Count: 0 });
        }
    }
}

/// <summary>Writes a FHIR resource inside CDS Hooks JSON with the FHIR layer's own metadata.</summary>
public sealed class EmbeddedResourceConverter : JsonConverter<Resource>
{
    public override Resource? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, FhirJson.ResourceInfo);

    public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options) => FhirJson.Write(writer, value);
}
