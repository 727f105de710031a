using System.Text.Json.Nodes;
using CmlCds.Fhir.Conformance;
using CmlCds.Fhir.Json;
using CmlCds.Tests.Shared;

namespace CmlCds.Fhir.Tests.Conformance;

/// <summary>
/// Each profile against instances made invalid one way each, starting from its valid example: the validator names
/// the profile element and the kind of violation, and nothing else, whether it reads the JSON or the parsed model
/// (where unmodelled elements such as <c>boundsString</c> live in the additional elements). The corpus is shared with
/// the agreement tests of CmlCds.Conformance.Tests, where Firely's validator must name the same elements.
/// </summary>
public class InvalidInstanceTests
{
    private const string IsResult = InvalidInstances.IsResult;
    private const string Request = InvalidInstances.Request;
    private const string IsExample = InvalidInstances.IsExample;
    private const string RequestExample = InvalidInstances.RequestExample;

    private static JsonObject Obj(JsonNode? n) => n!.AsObject();
    private static JsonNode Json(string s) => JsonNode.Parse(s)!;

    public static TheoryData<string> CaseNames() => new(InvalidInstances.Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void An_invalid_instance_fails_naming_the_profile_element(string name)
    {
        var c = InvalidInstances.Cases[name];
        var instance = c.Instance(ProfileFiles.Example(c.Example));

        var fromJson = Assert.Single(ConformancePackage.Embedded.Validate(ProfileFiles.Element(instance), c.Profile));
        Assert.Equal((c.Element, c.Kind), (fromJson.ElementId, fromJson.Kind));
        var fromModel = Assert.Single(ConformancePackage.Embedded.Validate(FhirJson.Parse(instance.ToJsonString()), c.Profile));
        Assert.Equal(fromJson, fromModel);
    }

    [Theory]
    [InlineData("Patient/p-1", null)]
    [InlineData("https://ehr.example.org/fhir/Patient/p-1", null)]
    [InlineData("https://ehr.example.org/fhir/Patient/p-1/_history/3", null)]
    [InlineData("urn:uuid:0f4e1c7a-9d1b-4a4f-8f5e-2f1d8c0b9a11", null)]
    [InlineData("#contained-patient", null)]
    [InlineData("Group/g-1", "Group")]
    [InlineData("https://ehr.example.org/fhir/Group/g-1/_history/3", "Group")]
    public void Reference_targets_are_read_from_relative_and_absolute_references(string reference, string? wrongType)
    {
        var observation = ProfileFiles.Example(IsExample);
        observation["subject"] = new JsonObject { ["reference"] = reference };
        var violations = ConformancePackage.Embedded.Validate(FhirJson.Parse(observation.ToJsonString()), IsResult);
        if (wrongType is null)
        {
            Assert.Empty(violations);
            return;
        }
        var v = Assert.Single(violations);
        Assert.Equal(("Observation.subject", ViolationKind.ReferenceTarget), (v.ElementId, v.Kind));
        Assert.Contains($"refers to a {wrongType}", v.Message);
    }

    [Fact]
    public void Allowed_variants_pass_a_medication_reference_and_bounds_as_a_duration()
    {
        var request = ProfileFiles.Example(RequestExample);
        request.Remove("medicationCodeableConcept");
        request["medicationReference"] = Json("""{"reference":"Medication/m1"}""");
        var repeat = Obj(request["dosageInstruction"]![0]!["timing"]!["repeat"]);
        repeat.Remove("boundsPeriod");
        repeat["boundsDuration"] = Json("""{"value":12,"unit":"months"}""");
        Assert.Empty(ConformancePackage.Embedded.Validate(FhirJson.Parse(request.ToJsonString()), Request));
        Assert.Empty(ConformancePackage.Embedded.Validate(ProfileFiles.Element(request), Request));
    }

    [Fact]
    public void A_component_that_is_none_of_the_slices_is_allowed_since_the_slicing_is_open()
    {
        var observation = ProfileFiles.Example(IsExample);
        observation["component"]!.AsArray().Add(Json("""{"code":{"text":"reaction volume"},"valueString":"20 µl"}"""));
        Assert.Empty(ConformancePackage.Embedded.Validate(FhirJson.Parse(observation.ToJsonString()), IsResult));
    }

    [Fact]
    public void Each_violation_kind_has_its_own_data_quality_code()
    {
        var codes = Enum.GetValues<ViolationKind>().Select(ProfileViolation.CodeOf).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.StartsWith("profile.", c));
    }
}
