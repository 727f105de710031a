using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Conformance;

/// <summary>
/// A cursor on one element of a resource as FHIR JSON names it, whether the element was read into the model
/// (walked through the source-generated JSON metadata, so JSON names and choice suffixes are exactly those of the
/// wire format) or kept as JSON (<see cref="Element.AdditionalElements"/>, a file). Lists are flattened: each item
/// is a child under the same name. Lets the validator check a parsed resource without writing it back to JSON, and
/// without allocating for the members it walks past: validation runs on every hook call.
/// </summary>
public readonly struct FhirNode
{
    /// <summary>A model object, a string or a boxed primitive; null when the element is JSON.</summary>
    private readonly object? _value;
    private readonly JsonElement _json;
    /// <summary>The member table of a model object's type; null for primitives and JSON.</summary>
    private readonly Shape? _shape;

    private FhirNode(object? value, JsonElement json, Shape? shape)
    {
        _value = value;
        _json = json;
        _shape = shape;
    }

    public static FhirNode For(Resource resource) => new(resource, default, Shape.Of(resource.GetType()));

    public static FhirNode For(JsonElement json) => new(null, json, null);

    internal static FhirNode Of(object value) => value switch
    {
        JsonElement e => new(null, e, null),
        string or decimal or int or long or bool => new(value, default, null),
        _ => new(value, default, Shape.Of(value.GetType())),
    };

    public bool Exists => _value is not null || _json.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>The value of a primitive (string, number, boolean) as its JSON text; null for a complex element.</summary>
    public string? PrimitiveText => _value switch
    {
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        null => _json.ValueKind switch
        {
            JsonValueKind.String => _json.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => _json.GetRawText(),
            _ => null,
        },
        _ => null,
    };

    /// <summary>The children with this JSON name (a list's items each).</summary>
    public ChildList Children(string name)
    {
        if (_shape is { } shape)
        {
            if (shape.ByName.TryGetValue(name, out var property))
                return ChildList.OfModel(property.Get!(_value!));
            if (shape.Extensions(_value!) is { } extensions && extensions.TryGetValue(name, out var json))
                return ChildList.OfJson(json);
            return default;
        }
        return _value is null && _json.ValueKind == JsonValueKind.Object && _json.TryGetProperty(name, out var member)
            ? ChildList.OfJson(member)
            : default;
    }

    /// <summary>The members of a choice element <c>prefix[x]</c>, each with its type suffix (<c>Quantity</c>, <c>DateTime</c>...).</summary>
    public List<(string Suffix, FhirNode Node)> ChoiceChildren(string prefix)
    {
        var found = new List<(string, FhirNode)>(1);
        if (_shape is { } shape)
        {
            // The model keeps each choice element in one property (see Model/Choice), so at most one variant is set.
            foreach (var (suffix, property) in shape.WithPrefix(prefix))
            {
                if (property.Get!(_value!) is not { } member) continue;
                foreach (var node in ChildList.OfModel(member))
                    found.Add((suffix, node));
                break;
            }
            if (shape.Extensions(_value!) is { } extensions)
                foreach (var (name, json) in extensions)
                    if (IsChoiceName(name, prefix))
                        foreach (var node in ChildList.OfJson(json))
                            found.Add((name[prefix.Length..], node));
        }
        else if (_value is null && _json.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in _json.EnumerateObject())
                if (IsChoiceName(property.Name, prefix))
                    foreach (var node in ChildList.OfJson(property.Value))
                        found.Add((property.Name[prefix.Length..], node));
        }
        return found;
    }

    /// <summary>The names of the members present (for fixed complex values, which admit nothing more).</summary>
    public IEnumerable<string> Names()
    {
        if (_shape is { } shape)
        {
            foreach (var (name, property) in shape.ByName)
                if (ChildList.OfModel(property.Get!(_value!)).Any()) yield return name;
            if (shape.Extensions(_value!) is { } extensions)
                foreach (var name in extensions.Keys) yield return name;
        }
        else if (_value is null && _json.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in _json.EnumerateObject())
                if (property.Value.ValueKind != JsonValueKind.Null) yield return property.Name;
        }
    }

    internal static bool IsChoiceName(string name, string prefix) =>
        name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal) && char.IsUpper(name[prefix.Length]);

    /// <summary>The items under one name: nothing, one value, a model list or a JSON array. Enumerates without allocating.</summary>
    public struct ChildList
    {
        private readonly object? _single;
        private readonly IList? _list;
        private readonly JsonElement _json;
        private readonly byte _mode; // 0 none, 1 model value, 2 model list, 3 JSON value, 4 JSON array
        private JsonElement.ArrayEnumerator _array;
        private int _index;
        private FhirNode _current;

        private ChildList(object? single, IList? list, JsonElement json, byte mode)
        {
            _single = single;
            _list = list;
            _json = json;
            _mode = mode;
            _array = mode == 4 ? json.EnumerateArray() : default;
            _index = -1;
            _current = default;
        }

        internal static ChildList OfModel(object? member) => member switch
        {
            null => default,
            IList list when member is not string => new(null, list, default, 2),
            _ => new(member, null, default, 1),
        };

        internal static ChildList OfJson(JsonElement json) => json.ValueKind switch
        {
            JsonValueKind.Array => new(null, null, json, 4),
            JsonValueKind.Null or JsonValueKind.Undefined => default,
            _ => new(null, null, json, 3),
        };

        public readonly ChildList GetEnumerator() => this;

        public readonly FhirNode Current => _current;

        public bool MoveNext()
        {
            switch (_mode)
            {
                case 1 or 3:
                    if (_index >= 0) return false;
                    _index = 0;
                    _current = _mode == 1 ? Of(_single!) : new FhirNode(null, _json, null);
                    return true;
                case 2:
                    while (++_index < _list!.Count)
                        if (_list[_index] is { } item) { _current = Of(item); return true; }
                    return false;
                case 4:
                    while (_array.MoveNext())
                        if (_array.Current.ValueKind != JsonValueKind.Null) { _current = new FhirNode(null, _array.Current, null); return true; }
                    return false;
                default:
                    return false;
            }
        }

        public readonly int Count()
        {
            switch (_mode)
            {
                case 1 or 3:
                    return 1;
                case 2:
                    var n = 0;
                    for (var i = 0; i < _list!.Count; i++)
                        if (_list[i] is not null) n++;
                    return n;
                case 4:
                    var m = 0;
                    foreach (var item in _json.EnumerateArray())
                        if (item.ValueKind != JsonValueKind.Null) m++;
                    return m;
                default:
                    return 0;
            }
        }

        public readonly bool Any() => Count() > 0;

        public readonly FhirNode FirstOrDefault()
        {
            var copy = this;
            return copy.MoveNext() ? copy.Current : default;
        }
    }

    /// <summary>The JSON members of one model type, by name and by choice prefix; built once per type.</summary>
    private sealed class Shape
    {
        /// <summary>Copied on write (a few dozen model types, all seen within the first calls), so reads take no lock.</summary>
        private static volatile Dictionary<Type, Shape> _shapes = [];
        private static readonly Lock Writing = new();
        private readonly ConcurrentDictionary<string, (string Suffix, JsonPropertyInfo Property)[]> _byPrefix = new(StringComparer.Ordinal);
        private readonly JsonPropertyInfo? _extensionData;

        public FrozenDictionary<string, JsonPropertyInfo> ByName { get; }

        private Shape(Type type)
        {
            var info = FhirJson.Options.GetTypeInfo(type);
            var properties = info.Kind == JsonTypeInfoKind.Object ? info.Properties.Where(p => p.Get is not null).ToList() : [];
            _extensionData = properties.FirstOrDefault(p => p.IsExtensionData);
            ByName = properties.Where(p => !p.IsExtensionData).ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        }

        public static Shape Of(Type type)
        {
            if (_shapes.TryGetValue(type, out var shape)) return shape;
            lock (Writing)
            {
                if (_shapes.TryGetValue(type, out shape)) return shape;
                shape = new Shape(type);
                _shapes = new Dictionary<Type, Shape>(_shapes) { [type] = shape };
                return shape;
            }
        }

        public Dictionary<string, JsonElement>? Extensions(object value) => _extensionData?.Get!(value) as Dictionary<string, JsonElement>;

        public (string Suffix, JsonPropertyInfo Property)[] WithPrefix(string prefix) =>
            _byPrefix.GetOrAdd(prefix, static (p, shape) => shape.ByName.Values.Where(x => IsChoiceName(x.Name, p)).Select(x => (x.Name[p.Length..], x)).ToArray(), this);
    }
}
