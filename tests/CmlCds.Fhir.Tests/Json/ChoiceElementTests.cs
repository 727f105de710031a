using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Tests.Json;

public class ChoiceElementTests
{
    [Fact]
    public void ValueQuantity_suffix_picks_the_quantity_variant()
    {
        var obs = FhirJson.Parse<Observation>("""{"resourceType":"Observation","valueQuantity":{"value":1.5,"unit":"%"}}""");
        var q = Assert.IsType<Quantity>(obs.Value);
        Assert.Equal(1.5m, q.Value);
        Assert.Null(obs.ValueCodeableConcept);
    }

    [Fact]
    public void ValueString_suffix_picks_a_string_primitive()
    {
        var obs = FhirJson.Parse<Observation>("""{"resourceType":"Observation","valueString":"p.Thr315Ile"}""");
        var p = Assert.IsType<FhirPrimitive<string>>(obs.Value);
        Assert.Equal("string", p.FhirTypeName);
        Assert.Equal("p.Thr315Ile", obs.ValueString);
    }

    [Fact]
    public void EffectiveDateTime_and_effectivePeriod_share_one_property()
    {
        var a = FhirJson.Parse<Observation>("""{"resourceType":"Observation","effectiveDateTime":"2024-01-02"}""");
        var b = FhirJson.Parse<Observation>("""{"resourceType":"Observation","effectivePeriod":{"start":"2024-01-03"}}""");
        Assert.Equal("dateTime", a.Effective!.FhirTypeName);
        Assert.Equal("2024-01-03", Assert.IsType<Period>(b.Effective).Start);
    }

    [Fact]
    public void Unknown_suffix_is_a_coded_error_naming_the_element()
    {
        var obs = FhirJson.Parse<Observation>("""{"resourceType":"Observation","valueFoo":{"x":1}}""");
        var issue = Assert.Single(obs.AllIssues());
        Assert.Equal(FhirIssue.UnknownChoiceType, issue.Code);
        Assert.Equal(FhirIssueSeverity.Error, issue.Severity);
        Assert.Equal("Observation.valueFoo", issue.Element);
        Assert.Null(obs.Value);
    }

    [Fact]
    public void Unknown_suffix_in_a_component_is_reported_on_the_resource()
    {
        var obs = FhirJson.Parse<Observation>("""{"resourceType":"Observation","component":[{"valueMoney":{"value":1}}]}""");
        Assert.Equal("Observation.component.valueMoney", Assert.Single(obs.AllIssues()).Element);
    }

    [Fact]
    public void Valid_but_unmodelled_suffix_is_tolerated_and_round_trips()
    {
        const string json = """{"resourceType":"Observation","valueSampledData":{"period":10,"dimensions":1}}""";
        var obs = FhirJson.Parse<Observation>(json);
        Assert.Empty(obs.AllIssues());
        Assert.Contains("valueSampledData", FhirJson.Serialize(obs));
    }

    [Fact]
    public void Two_variants_of_one_choice_are_a_coded_error()
    {
        var obs = FhirJson.Parse<Observation>("""{"resourceType":"Observation","valueString":"x","valueQuantity":{"value":1}}""");
        Assert.Equal(FhirIssue.MultipleChoiceTypes, Assert.Single(obs.AllIssues()).Code);
    }

    [Fact]
    public void Unknown_plain_elements_are_tolerated()
    {
        var obs = FhirJson.Parse<Observation>("""{"resourceType":"Observation","hasMember":[{"reference":"Observation/2"}],"focus":[]}""");
        Assert.Empty(obs.AllIssues());
        Assert.True(obs.AdditionalElements!.ContainsKey("hasMember"));
    }

    [Fact]
    public void MedicationRequest_medication_reference_and_codeable_concept()
    {
        var a = FhirJson.Parse<MedicationRequest>("""{"resourceType":"MedicationRequest","medicationReference":{"reference":"Medication/m1"}}""");
        var b = FhirJson.Parse<MedicationRequest>("""{"resourceType":"MedicationRequest","medicationCodeableConcept":{"text":"Sprycel"}}""");
        Assert.Equal("Medication/m1", Assert.IsType<Reference>(a.Medication).ReferenceValue);
        Assert.Equal("Sprycel", Assert.IsType<CodeableConcept>(b.Medication).Text);
    }
}
