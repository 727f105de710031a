using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>
/// Base of every FHIR element this project models. Elements the model does not name
/// (extensions, primitive <c>_x</c> siblings, elements of later versions) are kept in
/// <see cref="AdditionalElements"/> so a resource round-trips unchanged.
/// </summary>
public abstract class Element
{
    [JsonPropertyOrder(-90)]
    public string? Id { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalElements { get; set; }

    /// <summary>Problems found while reading this element (unknown choice type, two variants at once...).</summary>
    [JsonIgnore]
    public List<FhirIssue>? Issues { get; private set; }

    internal void AddIssue(FhirIssue issue) => (Issues ??= []).Add(issue);
}

/// <summary>
/// A value that can stand in a FHIR choice element (<c>value[x]</c>, <c>effective[x]</c>, ...).
/// The JSON suffix picks the concrete type; the model exposes one property of this type.
/// </summary>
public abstract class DataType : Element
{
    /// <summary>The FHIR type name used as the JSON suffix, e.g. <c>Quantity</c>.</summary>
    [JsonIgnore]
    public string FhirTypeName => TypeName();

    protected abstract string TypeName();
}

/// <summary>A FHIR primitive carried in a choice element (<c>valueString</c>, <c>effectiveDateTime</c>...).</summary>
public sealed class FhirPrimitive<T>(string fhirTypeName, T value) : DataType
{
    protected override string TypeName() => fhirTypeName;
    public T Value { get; } = value;
    public override string ToString() => Value?.ToString() ?? "";
}

public sealed class Coding : Element
{
    public string? System { get; set; }
    public string? Version { get; set; }
    public string? Code { get; set; }
    public string? Display { get; set; }
    public bool? UserSelected { get; set; }

    public Coding() { }
    public Coding(string system, string code, string? display = null)
    {
        System = system;
        Code = code;
        Display = display;
    }

    public bool Is(string system, string code) =>
        string.Equals(System, system, StringComparison.Ordinal) && string.Equals(Code, code, StringComparison.Ordinal);
}

public sealed class CodeableConcept : DataType
{
    protected override string TypeName() => "CodeableConcept";
    public List<Coding>? Coding { get; set; }
    public string? Text { get; set; }

    public CodeableConcept() { }
    public CodeableConcept(Coding coding, string? text = null)
    {
        Coding = [coding];
        Text = text;
    }

    public bool Has(string system, string code) => Coding?.Exists(c => c.Is(system, code)) == true;
}

public sealed class Quantity : DataType
{
    protected override string TypeName() => "Quantity";
    /// <summary>The number exactly as sent: <see cref="decimal"/> keeps the scale ("0.10" stays "0.10").</summary>
    public decimal? Value { get; set; }
    public string? Comparator { get; set; }
    public string? Unit { get; set; }
    public string? System { get; set; }
    public string? Code { get; set; }
}

public sealed class Range : DataType
{
    protected override string TypeName() => "Range";
    public Quantity? Low { get; set; }
    public Quantity? High { get; set; }
}

public sealed class Ratio : DataType
{
    protected override string TypeName() => "Ratio";
    public Quantity? Numerator { get; set; }
    public Quantity? Denominator { get; set; }
}

public sealed class Period : DataType
{
    protected override string TypeName() => "Period";
    public string? Start { get; set; }
    public string? End { get; set; }
}

public sealed class Reference : DataType
{
    protected override string TypeName() => "Reference";
    [JsonPropertyName("reference")]
    public string? ReferenceValue { get; set; }
    public string? Type { get; set; }
    public Identifier? Identifier { get; set; }
    public string? Display { get; set; }

    public Reference() { }
    public Reference(string reference) => ReferenceValue = reference;
}

public sealed class Identifier : Element
{
    public string? Use { get; set; }
    public CodeableConcept? Type { get; set; }
    public string? System { get; set; }
    public string? Value { get; set; }
    public Period? Period { get; set; }
}

public sealed class Meta : Element
{
    public string? VersionId { get; set; }
    public string? LastUpdated { get; set; }
    public string? Source { get; set; }
    public List<string>? Profile { get; set; }
    public List<Coding>? Security { get; set; }
    public List<Coding>? Tag { get; set; }
}

public sealed class HumanName : Element
{
    public string? Use { get; set; }
    public string? Text { get; set; }
    public string? Family { get; set; }
    public List<string>? Given { get; set; }
    public List<string>? Prefix { get; set; }
    public List<string>? Suffix { get; set; }
    public Period? Period { get; set; }
}

public sealed class Annotation : Element
{
    public string? AuthorString { get; set; }
    public Reference? AuthorReference { get; set; }
    public string? Time { get; set; }
    public string? Text { get; set; }
}

public sealed class Timing : DataType
{
    protected override string TypeName() => "Timing";
    public List<string>? Event { get; set; }
    public TimingRepeat? Repeat { get; set; }
    public CodeableConcept? Code { get; set; }
}

public sealed class TimingRepeat : Element
{
    /// <summary>The only <c>bounds[x]</c> variant the rules read; <c>boundsDuration</c>/<c>boundsRange</c> round-trip untouched.</summary>
    public Period? BoundsPeriod { get; set; }
    public int? Count { get; set; }
    public decimal? Duration { get; set; }
    public string? DurationUnit { get; set; }
    public int? Frequency { get; set; }
    public decimal? Period { get; set; }
    public string? PeriodUnit { get; set; }
}

public sealed class Dosage : Element
{
    public int? Sequence { get; set; }
    public string? Text { get; set; }
    public Timing? Timing { get; set; }
    public CodeableConcept? Route { get; set; }
    public List<DoseAndRate>? DoseAndRate { get; set; }
}

/// <summary>
/// <c>Dosage.doseAndRate</c>: only <c>doseQuantity</c> is read (the dose in mg, clinical specification §11);
/// <c>doseRange</c> and <c>rate[x]</c> round-trip untouched in the additional elements.
/// </summary>
public sealed class DoseAndRate : Element
{
    public CodeableConcept? Type { get; set; }
    public Quantity? DoseQuantity { get; set; }
}
