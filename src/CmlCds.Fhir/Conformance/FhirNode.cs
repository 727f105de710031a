using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Conformance;

/// <summary>
/// One element of a resource as FHIR JSON names it, whether it was read into the model (walked through the
/// source-generated JSON metadata, so JSON names and choice suffixes are exactly those of the wire format) or kept
/// as JSON (<see cref="Element.AdditionalElements"/>, a file). Lists are flattened: each item is a child under the
/// same name. Lets the validator check a parsed resource without writing it back to JSON.
/// </summary>
public abstract class FhirNode
{
    /// <summary>The value of a primitive (string, number, boolean) as its JSON text; null for a complex element.</summary>
    public abstract string? PrimitiveText { get; }

    public abstract bool IsNumber { get; }

    public abstract IEnumerable<(string Name, FhirNode Node)> Children();

    public IEnumerable<FhirNode> Children(string name)
    {
        foreach (var (n, node) in Children())
            if (string.Equals(n, name, StringComparison.Ordinal)) yield return node;
    }

    public static FhirNode For(Resource resource) => Wrap(resource);

    public static FhirNode For(JsonElement json) => new JsonNode(json);

    internal static FhirNode Wrap(object value) => value switch
    {
        string s => new PrimitiveNode(s, false),
        decimal d => new PrimitiveNode(d.ToString(CultureInfo.InvariantCulture), true),
        int i => new PrimitiveNode(i.ToString(CultureInfo.InvariantCulture), true),
        long l => new PrimitiveNode(l.ToString(CultureInfo.InvariantCulture), true),
        bool b => new PrimitiveNode(b ? "true" : "false", false),
        JsonElement e => new JsonNode(e),
        _ => new ModelNode(value),
    };

    private static IEnumerable<(string, FhirNode)> JsonMember(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
                if (item.ValueKind != JsonValueKind.Null) yield return (name, new JsonNode(item));
        }
        else if (value.ValueKind != JsonValueKind.Null)
        {
            yield return (name, new JsonNode(value));
        }
    }

    private sealed class PrimitiveNode(string text, bool isNumber) : FhirNode
    {
        public override string? PrimitiveText => text;
        public override bool IsNumber => isNumber;
        public override IEnumerable<(string, FhirNode)> Children() => [];
    }

    private sealed class JsonNode(JsonElement element) : FhirNode
    {
        public override string? PrimitiveText => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };

        public override bool IsNumber => element.ValueKind == JsonValueKind.Number;

        public override IEnumerable<(string, FhirNode)> Children()
        {
            if (element.ValueKind != JsonValueKind.Object) yield break;
            foreach (var property in element.EnumerateObject())
                foreach (var child in JsonMember(property.Name, property.Value))
                    yield return child;
        }
    }

    private sealed class ModelNode(object value) : FhirNode
    {
        public override string? PrimitiveText => null;
        public override bool IsNumber => false;

        public override IEnumerable<(string, FhirNode)> Children()
        {
            var info = FhirJson.Options.GetTypeInfo(value.GetType());
            if (info.Kind != JsonTypeInfoKind.Object) yield break;
            foreach (var property in info.Properties)
            {
                if (property.Get?.Invoke(value) is not { } member) continue;
                if (property.IsExtensionData)
                {
                    foreach (var (name, json) in (IDictionary<string, JsonElement>)member)
                        foreach (var child in JsonMember(name, json))
                            yield return child;
                    continue;
                }
                if (member is IEnumerable list and not string)
                {
                    foreach (var item in list)
                        if (item is not null) yield return (property.Name, Wrap(item));
                    continue;
                }
                yield return (property.Name, Wrap(member));
            }
        }
    }
}
