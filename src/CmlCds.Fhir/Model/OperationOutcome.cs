namespace CmlCds.Fhir.Model;

/// <summary>FHIR R4 OperationOutcome: what a CDS client puts in a prefetch key it could not fill.</summary>
public sealed class OperationOutcome : Resource
{
    protected override string GetResourceType() => "OperationOutcome";
    public List<OperationOutcomeIssue>? Issue { get; set; }
}

public sealed class OperationOutcomeIssue : Element
{
    public string? Severity { get; set; }
    public string? Code { get; set; }
    public CodeableConcept? Details { get; set; }
    public string? Diagnostics { get; set; }
    public List<string>? Expression { get; set; }
}
