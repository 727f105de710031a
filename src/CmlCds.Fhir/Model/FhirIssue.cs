namespace CmlCds.Fhir.Model;

public enum FhirIssueSeverity { Warning, Error }

/// <summary>A problem met while reading FHIR JSON, with a stable <see cref="Code"/> that tests and data-quality notes use.</summary>
/// <param name="Code">Stable code, e.g. <c>fhir.choice.unknown-type</c>.</param>
/// <param name="Element">The element path, e.g. <c>Observation.valueFoo</c>.</param>
public sealed record FhirIssue(string Code, FhirIssueSeverity Severity, string Element, string Message)
{
    public const string UnknownChoiceType = "fhir.choice.unknown-type";
    public const string MultipleChoiceTypes = "fhir.choice.multiple";
}
