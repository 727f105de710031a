using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>FHIR R4 Condition: diagnosis code, status and the stage summary that carries the CML phase.</summary>
public sealed class Condition : Resource, IJsonOnDeserialized
{
    private static readonly string[] OnsetTypes = ["DateTime", "Age", "Period", "Range", "String"];
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(("onset", OnsetTypes), ("abatement", OnsetTypes));

    protected override string GetResourceType() => "Condition";
    public List<Identifier>? Identifier { get; set; }
    public CodeableConcept? ClinicalStatus { get; set; }
    public CodeableConcept? VerificationStatus { get; set; }
    public List<CodeableConcept>? Category { get; set; }
    public CodeableConcept? Severity { get; set; }
    public CodeableConcept? Code { get; set; }
    public Reference? Subject { get; set; }

    /// <summary><c>onset[x]</c>: dateTime or string (as <see cref="FhirPrimitive{T}"/>), Period or Range; <c>onsetAge</c> round-trips unmodelled.</summary>
    [JsonIgnore]
    public DataType? Onset { get; set; }
    public string? OnsetDateTime { get => Choice.String(Onset, "dateTime"); set => Onset = Choice.SetString(this, "Condition.onset", Onset, "dateTime", value); }
    public Period? OnsetPeriod { get => Onset as Period; set => Onset = Choice.Set(this, "Condition.onset", Onset, "Period", value); }
    public Range? OnsetRange { get => Onset as Range; set => Onset = Choice.Set(this, "Condition.onset", Onset, "Range", value); }
    public string? OnsetString { get => Choice.String(Onset, "string"); set => Onset = Choice.SetString(this, "Condition.onset", Onset, "string", value); }

    public string? RecordedDate { get; set; }
    public List<ConditionStage>? Stage { get; set; }
    public List<Annotation>? Note { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "Condition", Choices);
}

public sealed class ConditionStage : Element
{
    public CodeableConcept? Summary { get; set; }
    public List<Reference>? Assessment { get; set; }
    public CodeableConcept? Type { get; set; }
}
