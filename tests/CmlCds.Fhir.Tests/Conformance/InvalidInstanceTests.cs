using System.Text.Json.Nodes;
using CmlCds.Fhir.Conformance;
using CmlCds.Fhir.Json;

namespace CmlCds.Fhir.Tests.Conformance;

/// <summary>
/// Each profile against instances made invalid one way each, starting from its valid example: the validator names
/// the profile element and the kind of violation, and nothing else, whether it reads the JSON or the parsed model
/// (where unmodelled elements such as <c>boundsString</c> live in the additional elements).
/// </summary>
public class InvalidInstanceTests
{
    private const string IsResult = "http://cmlcds.org/fhir/StructureDefinition/cml-bcr-abl1-is-result";
    private const string Mutation = "http://cmlcds.org/fhir/StructureDefinition/cml-kd-mutation-result";
    private const string Request = "http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-request";
    private const string Statement = "http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-statement";
    private const string Condition = "http://cmlcds.org/fhir/StructureDefinition/cml-condition";
    private const string Dispense = "http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-dispense";

    private const string IsExample = "Observation-bcr-abl1-is-example.json";
    private const string NotDetectedExample = "Observation-bcr-abl1-not-detected-example.json";
    private const string MutationExample = "Observation-kd-mutation-example.json";
    private const string RequestExample = "MedicationRequest-tki-request-example.json";
    private const string StatementExample = "MedicationStatement-tki-statement-example.json";
    private const string ConditionExample = "Condition-cml-example.json";
    private const string DispenseExample = "MedicationDispense-tki-dispense-example.json";

    private sealed record Case(string Example, string Profile, Action<JsonObject> Break, string Element, ViolationKind Kind);

    private static JsonObject Obj(JsonNode? n) => n!.AsObject();
    private static JsonNode Json(string s) => JsonNode.Parse(s)!;

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["is: no subject"] = new(IsExample, IsResult, r => r.Remove("subject"), "Observation.subject", ViolationKind.Cardinality),
        ["is: subject is a Group"] = new(IsExample, IsResult, r => r["subject"] = Json("""{"reference":"Group/g1"}"""), "Observation.subject", ViolationKind.ReferenceTarget),
        ["is: no code"] = new(IsExample, IsResult, r => r.Remove("code"), "Observation.code", ViolationKind.Cardinality),
        ["is: non-IS code"] = new(IsExample, IsResult, r => r["code"] = Json("""{"coding":[{"system":"http://loinc.org","code":"46434-7"}]}"""), "Observation.code", ViolationKind.Binding),
        ["is: unit system not UCUM"] = new(IsExample, IsResult, r => Obj(r["valueQuantity"])["system"] = "http://example.org/units", "Observation.value[x]:valueQuantity.system", ViolationKind.FixedValue),
        ["is: unit not %"] = new(IsExample, IsResult, r => Obj(r["valueQuantity"])["code"] = "mg/L", "Observation.value[x]:valueQuantity.code", ViolationKind.FixedValue),
        ["is: no UCUM code"] = new(IsExample, IsResult, r => Obj(r["valueQuantity"]).Remove("code"), "Observation.value[x]:valueQuantity.code", ViolationKind.Cardinality),
        ["is: quantity without a number"] = new(IsExample, IsResult, r => Obj(r["valueQuantity"]).Remove("value"), "Observation.value[x]:valueQuantity.value", ViolationKind.Cardinality),
        ["is: comparator >"] = new(IsExample, IsResult, r => Obj(r["valueQuantity"])["comparator"] = ">", "Observation.value[x]:valueQuantity.comparator", ViolationKind.Binding),
        ["is: value as a string"] = new(IsExample, IsResult, r => { r.Remove("valueQuantity"); r["valueString"] = "0.085 %"; }, "Observation.value[x]", ViolationKind.Type),
        ["is: effective as an unknown type"] = new(IsExample, IsResult, r => { r.Remove("effectiveDateTime"); r["effectiveString"] = "March"; }, "Observation.effective[x]", ViolationKind.Type),
        ["is: ABL1 copies twice"] = new(IsExample, IsResult, r => r["component"]!.AsArray().Add(r["component"]![0]!.DeepClone()), "Observation.component:abl1Copies", ViolationKind.Cardinality),
        ["is: ABL1 copies as text"] = new(IsExample, IsResult, r => { var c = Obj(r["component"]![0]); c.Remove("valueQuantity"); c["valueString"] = "many"; }, "Observation.component:abl1Copies.value[x]", ViolationKind.Type),
        ["is: ABL1 copies without a value"] = new(IsExample, IsResult, r => Obj(r["component"]![0]).Remove("valueQuantity"), "Observation.component:abl1Copies.value[x]", ViolationKind.Cardinality),
        ["is: coded value other than not detected"] = new(NotDetectedExample, IsResult, r => r["valueCodeableConcept"] = Json("""{"coding":[{"system":"http://snomed.info/sct","code":"260385009"}]}"""), "Observation.value[x]:valueCodeableConcept", ViolationKind.Binding),
        ["mutation: IS code"] = new(MutationExample, Mutation, r => r["code"] = Json("""{"coding":[{"system":"http://loinc.org","code":"69380-4"}]}"""), "Observation.code", ViolationKind.Binding),
        ["mutation: value as a quantity"] = new(MutationExample, Mutation, r => { r.Remove("valueCodeableConcept"); r["valueQuantity"] = Json("""{"value":1}"""); }, "Observation.value[x]", ViolationKind.Type),
        ["mutation: gene studied as text"] = new(MutationExample, Mutation, r => { var c = Obj(r["component"]![0]); c.Remove("valueCodeableConcept"); c["valueString"] = "ABL1"; }, "Observation.component:geneStudied.value[x]", ViolationKind.Type),
        ["mutation: no subject"] = new(MutationExample, Mutation, r => r.Remove("subject"), "Observation.subject", ViolationKind.Cardinality),
        ["request: not a TKI"] = new(RequestExample, Request, r => r["medicationCodeableConcept"] = Json("""{"coding":[{"system":"http://www.whocc.no/atc","code":"L01BA01"}]}"""), "MedicationRequest.medication[x]:medicationCodeableConcept", ViolationKind.Binding),
        ["request: no subject"] = new(RequestExample, Request, r => r.Remove("subject"), "MedicationRequest.subject", ViolationKind.Cardinality),
        ["request: medication is a Substance"] = new(RequestExample, Request, r => { r.Remove("medicationCodeableConcept"); r["medicationReference"] = Json("""{"reference":"Substance/s1"}"""); }, "MedicationRequest.medication[x]", ViolationKind.ReferenceTarget),
        ["request: bounds as an unknown type"] = new(RequestExample, Request, r => { var repeat = Obj(r["dosageInstruction"]![0]!["timing"]!["repeat"]); repeat.Remove("boundsPeriod"); repeat["boundsString"] = "a year"; }, "MedicationRequest.dosageInstruction.timing.repeat.bounds[x]", ViolationKind.Type),
        ["dispense: no handover date"] = new(DispenseExample, Dispense, r => r.Remove("whenHandedOver"), "MedicationDispense.whenHandedOver", ViolationKind.Cardinality),
        ["dispense: days supply in weeks"] = new(DispenseExample, Dispense, r => Obj(r["daysSupply"])["code"] = "wk", "MedicationDispense.daysSupply.code", ViolationKind.FixedValue),
        ["dispense: not a TKI"] = new(DispenseExample, Dispense, r => r["medicationCodeableConcept"] = Json("""{"coding":[{"system":"http://www.whocc.no/atc","code":"A02BC01"}]}"""), "MedicationDispense.medication[x]:medicationCodeableConcept", ViolationKind.Binding),
        ["statement: no effective"] = new(StatementExample, Statement, r => r.Remove("effectivePeriod"), "MedicationStatement.effective[x]", ViolationKind.Cardinality),
        ["statement: TKI named in text only"] = new(StatementExample, Statement, r => r["medicationCodeableConcept"] = Json("""{"text":"Glivec 400 mg"}"""), "MedicationStatement.medication[x]:medicationCodeableConcept", ViolationKind.Binding),
        ["condition: not CML"] = new(ConditionExample, Condition, r => r["code"] = Json("""{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"C91.00"}]}"""), "Condition.code", ViolationKind.Binding),
        ["condition: subject is a Group"] = new(ConditionExample, Condition, r => r["subject"] = Json("""{"reference":"Group/g1"}"""), "Condition.subject", ViolationKind.ReferenceTarget),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void An_invalid_instance_fails_naming_the_profile_element(string name)
    {
        var c = Cases[name];
        var instance = ProfileFiles.Example(c.Example);
        c.Break(instance);

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
