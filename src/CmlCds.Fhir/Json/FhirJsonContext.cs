using System.Text.Json.Serialization;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Json;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ResourceJsonConverter)])]
[JsonSerializable(typeof(Resource))]
[JsonSerializable(typeof(Bundle))]
[JsonSerializable(typeof(Patient))]
[JsonSerializable(typeof(Observation))]
[JsonSerializable(typeof(Condition))]
[JsonSerializable(typeof(MedicationRequest))]
[JsonSerializable(typeof(MedicationStatement))]
[JsonSerializable(typeof(MedicationDispense))]
[JsonSerializable(typeof(ServiceRequest))]
[JsonSerializable(typeof(OperationOutcome))]
[JsonSerializable(typeof(OtherResource))]
internal sealed partial class FhirJsonContext : JsonSerializerContext;
