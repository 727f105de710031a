using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Benchmarks;

/// <summary>Each stage of a hook call, alone, per request size: parse request + prefetch, map, evaluate, render, serialise.</summary>
[MemoryDiagnoser]
public class StageBenchmarks
{
    [Params("small", "typical", "large")]
    public string Size { get; set; } = "typical";

    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly EvaluationSettings Settings = new();
    private byte[] _body = [];
    private IReadOnlyList<Resource> _resources = [];
    private PatientHistory _history = null!;
    private EvaluationResult _evaluation = null!;
    private CdsResponse _response = null!;
    private readonly CardRenderer _renderer = new(new RandomCardIds());
    private readonly CardContext _context = new("bench");

    [GlobalSetup]
    public void Setup()
    {
        _body = JsonSerializer.SerializeToUtf8Bytes(RequestGenerator.Create(Size, Today));
        var request = JsonSerializer.Deserialize(_body, CdsHooksJson.HookRequest)!;
        _resources = new PrefetchResolver(null).ResolveAsync(request, default).GetAwaiter().GetResult().Resources;
        _history = PatientHistoryMapper.Map(_resources, Today);
        _evaluation = CmlEvaluator.Evaluate(_history, Settings, Today);
        _response = _renderer.Render(_evaluation, _context);
    }

    [Benchmark(Description = "1 parse request + prefetch")]
    public HookRequest Parse() => JsonSerializer.Deserialize(_body, CdsHooksJson.HookRequest)!;

    [Benchmark(Description = "2 map FHIR to domain")]
    public PatientHistory Map() => PatientHistoryMapper.Map(_resources, Today);

    /// <summary>The profile checks alone (part of stage 2): every resource read under a profile, validated against it.</summary>
    [Benchmark(Description = "2a of which: validate against profiles")]
    public int Validate()
    {
        var violations = 0;
        foreach (var resource in _resources)
            if (CmlProfiles.ProfileFor(resource) is { } profile)
                violations += CmlProfiles.Package.Validate(resource, profile).Count;
        return violations;
    }

    /// <summary>On a fresh history each time, so the therapy lines are built as in a real call.</summary>
    [Benchmark(Description = "3 evaluate rules")]
    public EvaluationResult Evaluate() => CmlEvaluator.Evaluate(PatientHistoryMapper.Map(_resources, Today), Settings, Today);

    /// <summary>Adherence (PDC from the dispenses), the interaction check and the dose rules (clinical specification §11): part of stage 3.</summary>
    [Benchmark(Description = "3a of which: adherence, interactions, dose")]
    public object? TherapyEvidence() => _history.CurrentLine is { } line
        ? (CmlCds.Clinical.Rules.TherapyEvidenceRule.Evaluate(_history, line, Today), CmlCds.Clinical.Rules.DoseRule.Evaluate(_history, _history.Series.Scored))
        : null;

    [Benchmark(Description = "4 render cards")]
    public CdsResponse Render() => _renderer.Render(_evaluation, _context);

    [Benchmark(Description = "5 serialise response")]
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(_response, CdsHooksJson.Response);
}
