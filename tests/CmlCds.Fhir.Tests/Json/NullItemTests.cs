using System.Text.Json;
using CmlCds.Fhir.Json;

namespace CmlCds.Fhir.Tests.Json;

/// <summary>Issue 17 item 1: FHIR JSON arrays hold no nulls; a null item is a JsonException naming the array, not a null in the model.</summary>
public class NullItemTests
{
    [Theory]
    [InlineData("""{"resourceType":"Bundle","entry":[null]}""", "'entry'")]
    [InlineData("""{"resourceType":"Observation","code":{"coding":[{"code":"x"},null]}}""", "'coding'")]
    [InlineData("""{"resourceType":"MedicationRequest","dosageInstruction":[null]}""", "'dosageInstruction'")]
    [InlineData("""{"resourceType":"Condition","stage":[null]}""", "'stage'")]
    public void A_null_item_is_refused_naming_the_array(string json, string named)
    {
        var e = Assert.Throws<JsonException>(() => FhirJson.Parse(json));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_null_is_no_entries() =>
        Assert.Empty(FhirJson.Parse<CmlCds.Fhir.Model.Bundle>("""{"resourceType":"Bundle","entry":null}""").Resources());

    [Fact]
    public void The_parallel_primitive_extension_arrays_may_hold_nulls() =>
        FhirJson.Parse("""{"resourceType":"Patient","name":[{"given":["A","B"],"_given":[null,{"extension":[{"url":"http://x","valueString":"y"}]}]}]}""");
}
