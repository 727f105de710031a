using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using CmlCds.Conformance;
using CmlCds.Fhir.Json;
using CmlCds.Hooks.Mapping;
using static CmlCds.Conformance.ServiceProfiles;
using OurResource = CmlCds.Fhir.Model.Resource;
using Hl7.Fhir.Serialization;
using FhirResource = Hl7.Fhir.Model.Resource;

namespace CmlCds.Benchmarks;

/// <summary>
/// The project's FHIR reader and profile validator beside Firely's (Hl7.Fhir.R4 deserializer, default and with its
/// attribute validation off; Firely.Fhir.Validation) on the typical request's prefetch: the measurement behind the
/// hot-path decision in docs/design-notes.md. Firely's validator is loaded and warmed in the setup (its start-up is
/// reported by the `fhir-libraries` command, not here).
/// </summary>
[MemoryDiagnoser]
public class FhirLibraryBenchmarks
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private byte[][] _prefetch = [];
    private readonly FhirJsonDeserializer _firely = new(new DeserializerSettings());
    private readonly FhirJsonDeserializer _firelyUnchecked = new(new DeserializerSettings { Validator = null });
    private List<(OurResource Resource, string Profile)> _ours = [];
    private List<(FhirResource Resource, string Profile)> _theirs = [];
    private List<FhirResource> _context = [];
    private FirelyValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var request = RequestGenerator.Create("typical", Today);
        _prefetch = request["prefetch"]!.AsObject().Select(p => p.Value).OfType<JsonObject>()
            .Select(v => System.Text.Encoding.UTF8.GetBytes(v.ToJsonString())).ToArray();
        var ours = _prefetch.SelectMany(b => Flatten(FhirJson.Parse(b))).ToList();
        var medications = PatientHistoryMapper.Medications(ours);
        _ours = ours.Select(r => (r, CmlProfiles.ProfileFor(r, medications))).Where(p => p.Item2 is not null).Select(p => (p.r, p.Item2!)).ToList();
        _context = _prefetch.SelectMany(b => Flatten(_firely.DeserializeResource(System.Text.Encoding.UTF8.GetString(b)))).ToList();
        var profiles = _ours.ToDictionary(p => p.Resource.LocalReference, p => p.Profile, StringComparer.Ordinal);
        _theirs = _context.Where(r => profiles.ContainsKey($"{r.TypeName}/{r.Id}")).Select(r => (r, profiles[$"{r.TypeName}/{r.Id}"])).ToList();
        _validator = new FirelyValidator(FirelyPackage.LoadEmbedded());
        FirelyValidate(); // compiles the schemas
    }

    [Benchmark(Baseline = true, Description = "project reader: parse prefetch")]
    public int OurParse()
    {
        var n = 0;
        foreach (var b in _prefetch) n += Flatten(FhirJson.Parse(b)).Count();
        return n;
    }

    [Benchmark(Description = "Firely deserializer (default): parse prefetch")]
    public int FirelyParse() => Parse(_firely);

    [Benchmark(Description = "Firely deserializer (attribute validation off): parse prefetch")]
    public int FirelyParseUnchecked() => Parse(_firelyUnchecked);

    private int Parse(FhirJsonDeserializer deserializer)
    {
        var n = 0;
        foreach (var b in _prefetch)
        {
            var reader = new System.Text.Json.Utf8JsonReader(b);
            n += Flatten(deserializer.DeserializeResource(ref reader)).Count();
        }
        return n;
    }

    [Benchmark(Description = "project validator: profiled resources")]
    public int OurValidate()
    {
        var n = 0;
        foreach (var (r, p) in _ours) n += CmlProfiles.Package.Validate(r, p).Count;
        return n;
    }

    [Benchmark(Description = "Firely validator: profiled resources (core R4 + profile)")]
    public int FirelyValidate()
    {
        var n = 0;
        foreach (var (r, p) in _theirs) n += _validator.Validate(r, p, _context).Issue.Count;
        return n;
    }
}
