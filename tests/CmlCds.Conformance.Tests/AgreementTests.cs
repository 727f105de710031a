using CmlCds.Conformance;
using CmlCds.Fhir.Tests.Conformance;
using CmlCds.Tests.Shared;

namespace CmlCds.Conformance.Tests;

/// <summary>
/// The project's validator and Firely's agree on the invalid-instance corpus: each instance is an error in both, on
/// the same element (compared without indexes, slice names or [x]: <see cref="ConformanceIssue.Normalise"/>). Valid
/// data: ConformanceSuiteTests.
/// </summary>
[Collection(FirelyCollection.Name)]
public class AgreementTests(FirelyFixtureHandle handle)
{
    private readonly FirelyFixture _f = handle.Fixture;

    public static TheoryData<string> CaseNames() => new(InvalidInstances.Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Both_validators_find_the_error_on_the_same_element(string name)
    {
        var c = InvalidInstances.Cases[name];
        var instance = c.Instance(ProfileFiles.Example(c.Example));

        var ours = Assert.Single(Fhir.Conformance.ConformancePackage.Embedded.Validate(ProfileFiles.Element(instance), c.Profile));
        Assert.Equal(c.Element, ours.ElementId);

        var resource = ServiceProfiles.Parse(instance.ToJsonString());
        var issues = ConformanceIssue.Read(_f.Validator.Validate(resource, c.Profile), resource, c.Profile);
        var errors = issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
        var report = string.Join("\n", errors.Select(e => $"{e.Location}: {e.Message}"));
        Assert.True(errors.Count > 0, $"{name}: Firely finds no error");
        Assert.True(errors.All(e => e.IsOn(c.Element)), $"{name}: the project's validator names {c.Element}; Firely:\n{report}");
    }

    [Fact]
    public void The_corpus_has_every_profile_and_at_least_27_instances()
    {
        Assert.True(InvalidInstances.Cases.Count >= 27);
        Assert.Equal(_f.Package.Profiles.Keys.Order(), InvalidInstances.Cases.Values.Select(c => c.Profile).Distinct().Order());
    }

    [Theory]
    [InlineData("Observation.value[x]:valueQuantity.code", "Observation.value.code")]
    [InlineData("Observation.component[2].value[0]", "Observation.component.value")]
    [InlineData("Observation.component:abl1Copies.value[x]", "Observation.component.value")]
    [InlineData("MedicationRequest.dosageInstruction.timing.repeat.bounds[x]", "MedicationRequest.dosageInstruction.timing.repeat.bounds")]
    public void Elements_are_compared_without_indexes_slices_or_choice_markers(string path, string element) =>
        Assert.Equal(element, ConformanceIssue.Normalise(path));

    [Theory]
    [InlineData("MedicationRequest.medicationReference", "MedicationRequest.medication[x]", true)]
    [InlineData("MedicationRequest.medication", "MedicationRequest.medication[x]", true)]
    [InlineData("Observation.value.code", "Observation.value[x]:valueQuantity.code", true)]
    [InlineData("Observation.component[1].value", "Observation.component:abl1Copies.value[x]", true)]
    [InlineData("MedicationRequest.medicationsReference", "MedicationRequest.medication[x]", false)]
    [InlineData("Observation.value.system", "Observation.value[x]:valueQuantity.code", false)]
    [InlineData("Observation.subject", "Observation.subject.reference", false)]
    public void A_choice_element_of_a_profile_is_any_of_its_typed_names(string location, string elementId, bool same) =>
        Assert.Equal(same, new ConformanceIssue(IssueSeverity.Error, location, "", null, null).IsOn(elementId));
}
