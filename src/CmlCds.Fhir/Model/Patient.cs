using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>FHIR R4 Patient. The service reads only <see cref="BirthDate"/>; names and identifiers are never logged.</summary>
public sealed class Patient : Resource, IJsonOnDeserialized
{
    private static readonly FrozenDictionary<string, string[]> Choices = Choice.Table(
        ("deceased", ["Boolean", "DateTime"]), ("multipleBirth", ["Boolean", "Integer"]));

    protected override string GetResourceType() => "Patient";
    public List<Identifier>? Identifier { get; set; }
    public bool? Active { get; set; }
    public List<HumanName>? Name { get; set; }
    public string? Gender { get; set; }
    public string? BirthDate { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => Choice.CheckUnknownSuffixes(this, "Patient", Choices);
}
