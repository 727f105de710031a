using System.Text.Json.Nodes;
using CmlCds.Fhir.Conformance;

namespace CmlCds.Tests.Shared;

/// <summary>
/// The invalid-instance corpus: each profile's valid example (fhir-profiles/examples/) made invalid one way each, with
/// the profile element and kind of violation the project's validator names. Linked into CmlCds.Fhir.Tests (the
/// project's validator) and CmlCds.Conformance.Tests (Firely's validator must agree on the element).
/// </summary>
public static class InvalidInstances
{
    public const string IsResult = "http://cmlcds.org/fhir/StructureDefinition/cml-bcr-abl1-is-result";
    public const string Mutation = "http://cmlcds.org/fhir/StructureDefinition/cml-kd-mutation-result";
    public const string Request = "http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-request";
    public const string Statement = "http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-statement";
    public const string Condition = "http://cmlcds.org/fhir/StructureDefinition/cml-condition";
    public const string Dispense = "http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-dispense";

    public const string IsExample = "Observation-bcr-abl1-is-example.json";
    public const string NotDetectedExample = "Observation-bcr-abl1-not-detected-example.json";
    public const string MutationExample = "Observation-kd-mutation-example.json";
    public const string RequestExample = "MedicationRequest-tki-request-example.json";
    public const string StatementExample = "MedicationStatement-tki-statement-example.json";
    public const string ConditionExample = "Condition-cml-example.json";
    public const string DispenseExample = "MedicationDispense-tki-dispense-example.json";

    /// <summary>An instance made from a valid example by one change (<see cref="Break"/>), and what is wrong with it.</summary>
    public sealed record Case(string Example, string Profile, Action<JsonObject> Break, string Element, ViolationKind Kind)
    {
        public JsonObject Instance(JsonObject example)
        {
            Break(example);
            return example;
        }
    }

    private static JsonObject Obj(JsonNode? n) => n!.AsObject();
    private static JsonNode Json(string s) => JsonNode.Parse(s)!;

    public static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>
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
}
