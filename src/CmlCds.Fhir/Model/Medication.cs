using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>FHIR R4 MedicationRequest: a TKI order. Status, dates and the medication are what therapy lines are built from.</summary>
public sealed class MedicationRequest : Resource, IJsonOnDeserialized
{
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(
        ("medication", ["CodeableConcept", "Reference"]), ("reported", ["Boolean", "Reference"]));

    protected override string GetResourceType() => "MedicationRequest";
    public List<Identifier>? Identifier { get; set; }
    public string? Status { get; set; }
    public CodeableConcept? StatusReason { get; set; }
    public string? Intent { get; set; }
    public List<CodeableConcept>? Category { get; set; }

    /// <summary><c>medication[x]</c>: CodeableConcept or Reference.</summary>
    [JsonIgnore]
    public DataType? Medication { get; set; }
    public CodeableConcept? MedicationCodeableConcept { get => Medication as CodeableConcept; set => Medication = Choice.Set(this, "MedicationRequest.medication", Medication, "CodeableConcept", value); }
    public Reference? MedicationReference { get => Medication as Reference; set => Medication = Choice.Set(this, "MedicationRequest.medication", Medication, "Reference", value); }

    public Reference? Subject { get; set; }
    public string? AuthoredOn { get; set; }
    public Reference? Requester { get; set; }
    public List<CodeableConcept>? ReasonCode { get; set; }
    public List<Reference>? ReasonReference { get; set; }
    public List<Annotation>? Note { get; set; }
    public List<Dosage>? DosageInstruction { get; set; }
    public DispenseRequest? DispenseRequest { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "MedicationRequest", Choices);
}

public sealed class DispenseRequest : Element
{
    public Period? ValidityPeriod { get; set; }
    public int? NumberOfRepeatsAllowed { get; set; }
    public Quantity? Quantity { get; set; }
    public Quantity? ExpectedSupplyDuration { get; set; }
}

/// <summary>FHIR R4 MedicationStatement: TKI history recorded as statements rather than orders.</summary>
public sealed class MedicationStatement : Resource, IJsonOnDeserialized
{
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(
        ("medication", ["CodeableConcept", "Reference"]), ("effective", ["DateTime", "Period"]));

    protected override string GetResourceType() => "MedicationStatement";
    public List<Identifier>? Identifier { get; set; }
    public string? Status { get; set; }
    public List<CodeableConcept>? StatusReason { get; set; }
    public CodeableConcept? Category { get; set; }

    [JsonIgnore]
    public DataType? Medication { get; set; }
    public CodeableConcept? MedicationCodeableConcept { get => Medication as CodeableConcept; set => Medication = Choice.Set(this, "MedicationStatement.medication", Medication, "CodeableConcept", value); }
    public Reference? MedicationReference { get => Medication as Reference; set => Medication = Choice.Set(this, "MedicationStatement.medication", Medication, "Reference", value); }

    public Reference? Subject { get; set; }

    /// <summary><c>effective[x]</c>: dateTime (as <see cref="FhirPrimitive{T}"/> of string) or Period.</summary>
    [JsonIgnore]
    public DataType? Effective { get; set; }
    public string? EffectiveDateTime { get => Choice.String(Effective, "dateTime"); set => Effective = Choice.SetString(this, "MedicationStatement.effective", Effective, "dateTime", value); }
    public Period? EffectivePeriod { get => Effective as Period; set => Effective = Choice.Set(this, "MedicationStatement.effective", Effective, "Period", value); }

    public string? DateAsserted { get; set; }
    public List<Annotation>? Note { get; set; }
    public List<Dosage>? Dosage { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "MedicationStatement", Choices);
}

/// <summary>
/// FHIR R4 MedicationDispense: a supply handed to the patient. <c>whenHandedOver</c> and <c>daysSupply</c> (else
/// <c>quantity</c> and the dose) give the days a dispense covers, for adherence (clinical specification §11).
/// </summary>
public sealed class MedicationDispense : Resource, IJsonOnDeserialized
{
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(
        ("medication", ["CodeableConcept", "Reference"]), ("statusReason", ["CodeableConcept", "Reference"]));

    protected override string GetResourceType() => "MedicationDispense";
    public List<Identifier>? Identifier { get; set; }
    public string? Status { get; set; }

    [JsonIgnore]
    public DataType? Medication { get; set; }
    public CodeableConcept? MedicationCodeableConcept { get => Medication as CodeableConcept; set => Medication = Choice.Set(this, "MedicationDispense.medication", Medication, "CodeableConcept", value); }
    public Reference? MedicationReference { get => Medication as Reference; set => Medication = Choice.Set(this, "MedicationDispense.medication", Medication, "Reference", value); }

    public Reference? Subject { get; set; }
    public List<Reference>? AuthorizingPrescription { get; set; }
    public Quantity? Quantity { get; set; }
    public Quantity? DaysSupply { get; set; }
    public string? WhenPrepared { get; set; }
    public string? WhenHandedOver { get; set; }
    public List<Annotation>? Note { get; set; }
    public List<Dosage>? DosageInstruction { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "MedicationDispense", Choices);
}
