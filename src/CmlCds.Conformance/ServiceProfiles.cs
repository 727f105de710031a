using CmlCds.Fhir.Json;
using CmlCds.Hooks.Mapping;
using Hl7.Fhir.Serialization;
using FhirResource = Hl7.Fhir.Model.Resource;
using OurResource = CmlCds.Fhir.Model.Resource;

namespace CmlCds.Conformance;

/// <summary>What Firely's validator says of one resource, under the CML CDS profile the service reads it under (if any).</summary>
public sealed record ResourceCheck(string Resource, string? Profile, IReadOnlyList<ConformanceIssue> Issues)
{
    public bool Failed => Issues.Any(i => i.Severity == IssueSeverity.Error);
}

/// <summary>
/// Validates resources as the service reads them: each under core R4, the profiles it claims and the CML CDS profile
/// the service applies to it (<see cref="CmlProfiles.ProfileFor"/>, decided by the project's own reader), with the
/// other resources given together as the targets of its references.
/// </summary>
public static class ServiceProfiles
{
    /// <summary>A parser that keeps whatever the JSON holds, so the validator, not the parser, reports what is wrong.</summary>
    private static readonly FhirJsonDeserializer Lenient = new(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));

    /// <summary>Resources or Bundles (FHIR JSON), validated together.</summary>
    public static IReadOnlyList<ResourceCheck> Check(FirelyValidator validator, IEnumerable<string> json)
    {
        var documents = json.ToList();
        var ours = documents.SelectMany(j => Flatten(FhirJson.Parse(j))).ToList();
        var medications = PatientHistoryMapper.Medications(ours);
        var profiles = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var r in ours) profiles.TryAdd(r.LocalReference, CmlProfiles.ProfileFor(r, medications));

        var resources = documents.SelectMany(j => Flatten(Parse(j))).ToList();
        return resources.Select(resource =>
        {
            var reference = resource.Id is null ? resource.TypeName : $"{resource.TypeName}/{resource.Id}";
            var profile = profiles.GetValueOrDefault(reference);
            var outcome = validator.Validate(resource, profile, resources);
            return new ResourceCheck(reference, profile, ConformanceIssue.Read(outcome, resource, profile));
        }).ToList();
    }

    public static FhirResource Parse(string json)
    {
        try
        {
            return Lenient.DeserializeResource(json);
        }
        catch (DeserializationFailedException e)
        {
            throw new FirelyPackageException($"not a FHIR R4 resource: {e.Message}");
        }
    }

    /// <summary>A Bundle's resources, or the resource itself (the project's model).</summary>
    public static IEnumerable<OurResource> Flatten(OurResource r) => r is CmlCds.Fhir.Model.Bundle b ? b.Resources() : [r];

    /// <summary>A Bundle's resources, or the resource itself (Firely's model).</summary>
    public static IEnumerable<FhirResource> Flatten(FhirResource r) =>
        r is Hl7.Fhir.Model.Bundle b ? b.Entry.Select(e => e.Resource).OfType<FhirResource>() : [r];
}
