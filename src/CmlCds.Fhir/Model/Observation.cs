using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>FHIR R4 Observation: the elements the BCR::ABL1 and mutation rules read; everything else round-trips.</summary>
public sealed class Observation : Resource, IJsonOnDeserialized
{
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(
        ("effective", ["DateTime", "Period", "Timing", "Instant"]),
        ("value", Choice.ObservationValueTypes));

    protected override string GetResourceType() => "Observation";

    public List<Identifier>? Identifier { get; set; }
    public List<Reference>? BasedOn { get; set; }
    public string? Status { get; set; }
    public List<CodeableConcept>? Category { get; set; }
    public CodeableConcept? Code { get; set; }
    public Reference? Subject { get; set; }
    public Reference? Encounter { get; set; }

    /// <summary><c>effective[x]</c>: dateTime, instant (as <see cref="FhirPrimitive{T}"/> of string), Period or Timing.</summary>
    [JsonIgnore]
    public DataType? Effective { get; set; }
    public string? EffectiveDateTime { get => Choice.String(Effective, "dateTime"); set => Effective = Choice.SetString(this, "Observation.effective", Effective, "dateTime", value); }
    public string? EffectiveInstant { get => Choice.String(Effective, "instant"); set => Effective = Choice.SetString(this, "Observation.effective", Effective, "instant", value); }
    public Period? EffectivePeriod { get => Effective as Period; set => Effective = Choice.Set(this, "Observation.effective", Effective, "Period", value); }
    public Timing? EffectiveTiming { get => Effective as Timing; set => Effective = Choice.Set(this, "Observation.effective", Effective, "Timing", value); }

    public string? Issued { get; set; }
    public List<Reference>? Performer { get; set; }

    /// <summary><c>value[x]</c>; see <see cref="ObservationValue"/> for the variants.</summary>
    [JsonIgnore]
    public DataType? Value { get => _value.Value; set => _value.Value = value; }
    private readonly ObservationValue _value = new("Observation.value");

    public Quantity? ValueQuantity { get => _value.Quantity; set => _value.Set(this, "Quantity", value); }
    public CodeableConcept? ValueCodeableConcept { get => _value.CodeableConcept; set => _value.Set(this, "CodeableConcept", value); }
    public string? ValueString { get => _value.String("string"); set => _value.SetString(this, "string", value); }
    public bool? ValueBoolean { get => _value.Boolean; set => _value.SetBoolean(this, value); }
    public int? ValueInteger { get => _value.Integer; set => _value.SetInteger(this, value); }
    public Range? ValueRange { get => _value.Range; set => _value.Set(this, "Range", value); }
    public Ratio? ValueRatio { get => _value.Ratio; set => _value.Set(this, "Ratio", value); }
    public string? ValueTime { get => _value.String("time"); set => _value.SetString(this, "time", value); }
    public string? ValueDateTime { get => _value.String("dateTime"); set => _value.SetString(this, "dateTime", value); }
    public Period? ValuePeriod { get => _value.Period; set => _value.Set(this, "Period", value); }

    public CodeableConcept? DataAbsentReason { get; set; }
    public List<CodeableConcept>? Interpretation { get; set; }
    public List<Annotation>? Note { get; set; }
    public CodeableConcept? Method { get; set; }
    public Reference? Specimen { get; set; }
    public List<ObservationComponent>? Component { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "Observation", Choices);

    public override IEnumerable<FhirIssue> AllIssues() =>
        (Issues ?? []).Concat(Component?.SelectMany(c => c.Issues ?? []) ?? []);
}

public sealed class ObservationComponent : Element, IJsonOnDeserialized
{
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(("value", Choice.ObservationValueTypes));

    public CodeableConcept? Code { get; set; }

    [JsonIgnore]
    public DataType? Value { get => _value.Value; set => _value.Value = value; }
    private readonly ObservationValue _value = new("Observation.component.value");

    public Quantity? ValueQuantity { get => _value.Quantity; set => _value.Set(this, "Quantity", value); }
    public CodeableConcept? ValueCodeableConcept { get => _value.CodeableConcept; set => _value.Set(this, "CodeableConcept", value); }
    public string? ValueString { get => _value.String("string"); set => _value.SetString(this, "string", value); }
    public bool? ValueBoolean { get => _value.Boolean; set => _value.SetBoolean(this, value); }
    public int? ValueInteger { get => _value.Integer; set => _value.SetInteger(this, value); }
    public Range? ValueRange { get => _value.Range; set => _value.Set(this, "Range", value); }
    public Ratio? ValueRatio { get => _value.Ratio; set => _value.Set(this, "Ratio", value); }
    public string? ValueTime { get => _value.String("time"); set => _value.SetString(this, "time", value); }
    public string? ValueDateTime { get => _value.String("dateTime"); set => _value.SetString(this, "dateTime", value); }
    public Period? ValuePeriod { get => _value.Period; set => _value.Set(this, "Period", value); }

    public CodeableConcept? DataAbsentReason { get; set; }
    public List<CodeableConcept>? Interpretation { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "Observation.component", Choices);
}

/// <summary>The <c>value[x]</c> of an Observation or one of its components (the two share the variant list).</summary>
internal sealed class ObservationValue(string element)
{
    public DataType? Value { get; set; }

    public Quantity? Quantity => Value as Quantity;
    public CodeableConcept? CodeableConcept => Value as CodeableConcept;
    public Range? Range => Value as Range;
    public Ratio? Ratio => Value as Ratio;
    public Period? Period => Value as Period;
    public bool? Boolean => Choice.Boolean(Value);
    public int? Integer => Choice.Integer(Value);
    public string? String(string type) => Choice.String(Value, type);

    public void Set(Element owner, string type, DataType? next) => Value = Choice.Set(owner, element, Value, type, next);
    public void SetString(Element owner, string type, string? next) => Value = Choice.SetString(owner, element, Value, type, next);
    public void SetBoolean(Element owner, bool? next) => Set(owner, "boolean", next is null ? null : new FhirPrimitive<bool>("boolean", next.Value));
    public void SetInteger(Element owner, int? next) => Set(owner, "integer", next is null ? null : new FhirPrimitive<int>("integer", next.Value));
}
