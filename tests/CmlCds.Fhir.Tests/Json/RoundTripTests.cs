using System.Text.Json.Nodes;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Tests.Json;

public class RoundTripTests
{
    public static TheoryData<string> Examples() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Examples"), "*.json").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_resource_reserialises_to_the_same_json(string file)
    {
        var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", file));

        var resource = FhirJson.Parse(original);
        var written = FhirJson.Serialize(resource);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), JsonNode.Parse(written)),
            $"{file} changed on the round trip:\n{written}");
        Assert.Empty(resource.AllIssues());
    }

    [Fact]
    public void ResourceType_is_written_first()
    {
        var json = FhirJson.Serialize(new Observation { Id = "x", Status = "final" });
        Assert.StartsWith("{\"resourceType\":\"Observation\"", json);
    }

    [Fact]
    public void ResourceType_may_stand_anywhere_in_the_object()
    {
        var resource = FhirJson.Parse("""{"id":"p1","birthDate":"1970-01-01","resourceType":"Patient"}""");
        var patient = Assert.IsType<Patient>(resource);
        Assert.Equal("1970-01-01", patient.BirthDate);
    }

    [Fact]
    public void Decimal_keeps_the_scale_the_lab_reported()
    {
        var obs = FhirJson.Parse<Observation>("""{"resourceType":"Observation","valueQuantity":{"value":0.10,"unit":"%"}}""");
        Assert.Equal("0.10", obs.ValueQuantity!.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("\"value\":0.10", FhirJson.Serialize(obs));
    }

    [Fact]
    public void Unknown_resource_type_is_kept_whole()
    {
        const string json = """{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"}}""";
        var resource = FhirJson.Parse(json);
        var other = Assert.IsType<OtherResource>(resource);
        Assert.Equal("Encounter", other.ResourceType);
        Assert.Equal("Encounter/e1", other.LocalReference);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(FhirJson.Serialize(resource))));
    }

    [Fact]
    public void Missing_resourceType_is_a_json_error()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => FhirJson.Parse("""{"id":"x"}"""));
    }

    [Fact]
    public void Empty_arrays_and_nulls_are_not_written()
    {
        var obs = new Observation { Status = "final", Category = [], Note = null };
        Assert.Equal("""{"resourceType":"Observation","status":"final"}""", FhirJson.Serialize(obs));
    }
}
