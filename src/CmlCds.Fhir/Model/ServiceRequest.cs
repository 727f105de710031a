using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>FHIR R4 ServiceRequest: what the service suggests ordering (mutation analysis, a BCR::ABL1 test) and reads back as existing orders.</summary>
public sealed class ServiceRequest : Resource, IJsonOnDeserialized
{
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(
        ("quantity", ["Quantity", "Ratio", "Range"]), ("occurrence", ["DateTime", "Period", "Timing"]),
        ("asNeeded", ["Boolean", "CodeableConcept"]));

    protected override string GetResourceType() => "ServiceRequest";
    public List<Identifier>? Identifier { get; set; }
    public string? Status { get; set; }
    public string? Intent { get; set; }
    public List<CodeableConcept>? Category { get; set; }
    public string? Priority { get; set; }
    public CodeableConcept? Code { get; set; }
    public Reference? Subject { get; set; }

    [JsonIgnore]
    public DataType? Occurrence { get; set; }
    public string? OccurrenceDateTime { get => Choice.String(Occurrence, "dateTime"); set => Occurrence = Choice.SetString(this, "ServiceRequest.occurrence", Occurrence, "dateTime", value); }
    public Period? OccurrencePeriod { get => Occurrence as Period; set => Occurrence = Choice.Set(this, "ServiceRequest.occurrence", Occurrence, "Period", value); }

    public string? AuthoredOn { get; set; }
    public Reference? Requester { get; set; }
    public List<CodeableConcept>? ReasonCode { get; set; }
    public List<Reference>? ReasonReference { get; set; }
    public List<Annotation>? Note { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "ServiceRequest", Choices);
}
