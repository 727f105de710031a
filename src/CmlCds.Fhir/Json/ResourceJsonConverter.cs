using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Json;

/// <summary>
/// Reads any FHIR resource by its <c>resourceType</c>, wherever that member stands in the object, and writes
/// the concrete type. A type the project does not model is read as <see cref="OtherResource"/> and kept whole.
/// </summary>
public sealed class ResourceJsonConverter : JsonConverter<Resource>
{
    public override Resource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"A FHIR resource must be a JSON object, not {reader.TokenType}.");

        var type = FindResourceType(reader)
            ?? throw new JsonException("A FHIR resource must have a 'resourceType' string member.");
        var info = TypeInfoFor(type, options);
        return (Resource)(JsonSerializer.Deserialize(ref reader, info)
            ?? throw new JsonException($"Could not read the {type} resource."));
    }

    public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));

    /// <summary>Scans the object's top-level members on a copy of the reader (the serializer has buffered the whole value).</summary>
    private static string? FindResourceType(Utf8JsonReader probe)
    {
        while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
        {
            var isType = probe.ValueTextEquals("resourceType"u8);
            probe.Read();
            if (isType)
                return probe.TokenType == JsonTokenType.String ? probe.GetString() : null;
            probe.Skip();
        }
        return null;
    }

    private static JsonTypeInfo TypeInfoFor(string type, JsonSerializerOptions options) => type switch
    {
        "Bundle" => options.GetTypeInfo(typeof(Bundle)),
        "Patient" => options.GetTypeInfo(typeof(Patient)),
        "Observation" => options.GetTypeInfo(typeof(Observation)),
        "Condition" => options.GetTypeInfo(typeof(Condition)),
        "MedicationRequest" => options.GetTypeInfo(typeof(MedicationRequest)),
        "MedicationStatement" => options.GetTypeInfo(typeof(MedicationStatement)),
        "MedicationDispense" => options.GetTypeInfo(typeof(MedicationDispense)),
        "ServiceRequest" => options.GetTypeInfo(typeof(ServiceRequest)),
        "OperationOutcome" => options.GetTypeInfo(typeof(OperationOutcome)),
        _ => options.GetTypeInfo(typeof(OtherResource)),
    };
}
