using CmlCds.Clinical.Evaluation;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Service;

/// <summary>A hook request that cannot be processed as sent (→ 400 ProblemDetails).</summary>
public sealed class InvalidHookRequestException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
}

/// <summary>Timings and rule ids of one call, for logs and audit (no PHI).</summary>
public sealed record HookOutcome(CdsResponse Response, IReadOnlyList<CardRules> Cards, IReadOnlyList<string> RuleIds, TimeSpan Resolve, TimeSpan Evaluate,
    IReadOnlyList<KeySource> Sources);

/// <summary>
/// One patient-view call: validate → resolve prefetch → map FHIR to the domain → evaluate rules → render cards.
/// Only the resolve step may touch the network.
/// </summary>
/// <param name="fhirDeadline">How long the FHIR-server queries of one call may take, all together (they run in
/// parallel); past it they are cancelled and count as unavailable.</param>
public sealed class HookHandler(PrefetchResolver resolver, CardRenderer renderer, EvaluationSettings settings, TimeProvider clock, TimeSpan fhirDeadline)
{
    public Task<HookOutcome> HandleAsync(HookRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request, FhirServerPolicy.Any, cancellationToken);

    public async Task<HookOutcome> HandleAsync(HookRequest request, FhirServerPolicy policy, CancellationToken cancellationToken)
    {
        Validate(request);
        using var budget = resolver.BeginCall(request); // what the call read from the FHIR server is held until it is answered
        var start = clock.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(fhirDeadline);
        var data = await resolver.ResolveAsync(request, policy, deadline.Token).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested(); // the EHR has gone: nobody to answer
        var resolved = clock.GetTimestamp();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var history = PatientHistoryMapper.Map(data.Resources, today, data.Notes, data.UnreadKeys);
        var evaluation = CmlEvaluator.Evaluate(history, settings, today);
        var rendered = renderer.RenderWithRules(evaluation, new CardContext(request.ContextValue("patientId")!, data.Resources));
        var done = clock.GetTimestamp();
        return new HookOutcome(ResponseBudget.Apply(rendered.Response), rendered.Cards, evaluation.Findings.SelectMany(f => f.RuleIds).ToList(),
            clock.GetElapsedTime(start, resolved), clock.GetElapsedTime(resolved, done), data.Sources);
    }

    /// <summary>The longest hookInstance accepted (it is a UUID, 36 characters; it is logged and audited).</summary>
    public const int MaxHookInstanceLength = 256;

    /// <summary>FHIR R4 <c>id</c>: <c>[A-Za-z0-9\-\.]{1,64}</c>. Anything else in a patient id would change the query it fills.</summary>
    public static bool IsFhirId(string value) =>
        value.Length is >= 1 and <= 64 && value.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.');

    /// <summary>CDS Hooks 2.0 §HTTP Request: hook, hookInstance and context are required; patient-view needs context.patientId.</summary>
    public static void Validate(HookRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Hook))
            throw new InvalidHookRequestException("Missing hook", "The request has no 'hook'.");
        if (request.Hook != CmlMonitoringService.Hook)
            throw new InvalidHookRequestException("Wrong hook", $"Service '{CmlMonitoringService.Id}' answers '{CmlMonitoringService.Hook}', not '{request.Hook}'.");
        if (string.IsNullOrWhiteSpace(request.HookInstance))
            throw new InvalidHookRequestException("Missing hookInstance", "The request has no 'hookInstance'.");
        if (request.HookInstance.Length > MaxHookInstanceLength)
            throw new InvalidHookRequestException("Invalid hookInstance", $"'hookInstance' (a UUID) is longer than {MaxHookInstanceLength} characters.");
        if (request.Context is null)
            throw new InvalidHookRequestException("Missing context", "The request has no 'context'.");
        if (string.IsNullOrWhiteSpace(request.ContextValue("patientId")))
            throw new InvalidHookRequestException("Missing context.patientId", "patient-view needs 'context.patientId'.");
        if (!IsFhirId(request.ContextValue("patientId")!))
            throw new InvalidHookRequestException("Invalid context.patientId",
                "'context.patientId' must be a FHIR id: 1 to 64 of A-Z, a-z, 0-9, '-' and '.' (it fills the prefetch queries).");
        if (request.FhirServer is { } server && !Uri.TryCreate(server, UriKind.Absolute, out _))
            throw new InvalidHookRequestException("Invalid fhirServer", "'fhirServer' must be an absolute URL.");
    }
}
