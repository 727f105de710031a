using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Tests;

/// <summary>Small FHIR JSON fixtures, written as a lab or EHR would send them.</summary>
public static class Fhir
{
    public static Observation BcrAbl1(string id, string date, string value, string? comparator = null, string code = "69380-4",
        string unitJson = "\"unit\":\"%\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"%\"", string status = "final", string components = "")
    {
        var cmp = comparator is null ? "" : $"\"comparator\":\"{comparator}\",";
        return Parse<Observation>($$$"""
            {"resourceType":"Observation","id":"{{{id}}}","status":"{{{status}}}",
             "code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]},
             "subject":{"reference":"Patient/p1"},"effectiveDateTime":"{{{date}}}",
             "valueQuantity":{ {{{cmp}}}"value":{{{value}}},{{{unitJson}}} }{{{components}}} }
            """);
    }

    public static string Copies(string code, int copies) =>
        $$$""","component":[{"code":{"coding":[{"system":"http://cmlcds.org/fhir/CodeSystem/observation-component","code":"{{{code}}}"}]},"valueQuantity":{"value":{{{copies}}},"unit":"copies"}}]""";

    public static Observation NotDetected(string id, string date, string components = "") => Parse<Observation>($$$"""
        {"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"{{{date}}}","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260415000"}]}{{{components}}} }
        """);

    public static Condition Cml(string phase = "Chronic phase", string system = "http://snomed.info/sct", string code = "92818009") => Parse<Condition>($$$"""
        {"resourceType":"Condition","id":"cml","code":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]},
         "subject":{"reference":"Patient/p1"},"onsetDateTime":"2023-12-01","stage":[{"summary":{"text":"{{{phase}}}"}}]}
        """);

    public static MedicationRequest Tki(string id, string medication, string start, string status = "active", string? end = null)
    {
        var endJson = end is null ? "" : $",\"end\":\"{end}\"";
        return Parse<MedicationRequest>($$$"""
            {"resourceType":"MedicationRequest","id":"{{{id}}}","status":"{{{status}}}","intent":"order",
             "medicationCodeableConcept":{{{medication}}},"subject":{"reference":"Patient/p1"},"authoredOn":"{{{start}}}",
             "dosageInstruction":[{"timing":{"repeat":{"boundsPeriod":{"start":"{{{start}}}"{{{endJson}}} } } } }]}
            """);
    }

    public static string Atc(string code) => $$$"""{"coding":[{"system":"http://www.whocc.no/atc","code":"{{{code}}}"}]}""";

    public static T Parse<T>(string json) where T : Resource => FhirJson.Parse<T>(json);
}
