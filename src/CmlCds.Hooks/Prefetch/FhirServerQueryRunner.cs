using CmlCds.Fhir.Client;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Prefetch;

/// <summary>
/// Runs prefetch queries against the request's <c>fhirServer</c> (CDS Hooks 2.0 §FHIR Resource Access): the bearer
/// token of <c>fhirAuthorization</c> when one is given and only then. The caller's token carries the deadline.
/// Memory is bounded by bytes read: each hook call at most <paramref name="maxBytesPerCall"/> over all its queries
/// and pages, all calls in flight together at most <paramref name="maxBytesInFlight"/>; past either, the query fails
/// (412 for required data, a data-quality note for optional data) instead of the process running out of memory. The
/// bytes bound what is read; <paramref name="maxResourcesPerCall"/> bounds what is kept, since the model of a resource
/// weighs some times its JSON (a page of 50,000 small Observations is 15 MB of JSON and 55 MB of model).
/// </summary>
public sealed class FhirServerQueryRunner(Func<FhirClient> clients, FhirClientLimits limits, long maxBytesPerCall = long.MaxValue, long maxBytesInFlight = long.MaxValue,
    int maxResourcesPerCall = int.MaxValue)
    : IFhirQueryRunner
{
    private readonly ReadBudget _inFlight = new(maxBytesInFlight,
        $"the service is reading as much FHIR data as it may for all calls at once ({maxBytesInFlight} bytes); try again shortly");
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<HookRequest, CallBudgets> _calls = new();

    private sealed record CallBudgets(ReadBudget Bytes, ReadBudget Resources);

    /// <summary>Bytes held by the calls in flight (for tests and diagnostics).</summary>
    public long BytesInFlight => _inFlight.Used;

    public IDisposable BeginCall(HookRequest request)
    {
        var budgets = new CallBudgets(
            new ReadBudget(maxBytesPerCall, $"the FHIR data of this call is over its {maxBytesPerCall}-byte budget", _inFlight),
            new ReadBudget(maxResourcesPerCall, $"the FHIR data of this call is over its {maxResourcesPerCall}-resource budget"));
        _calls.AddOrUpdate(request, budgets);
        return new CallScope(this, request, budgets);
    }

    private sealed class CallScope(FhirServerQueryRunner owner, HookRequest request, CallBudgets budgets) : IDisposable
    {
        public void Dispose()
        {
            owner._calls.Remove(request);
            budgets.Bytes.Dispose();
            budgets.Resources.Dispose();
        }
    }

    public Task<FhirQueryResult> RunAsync(HookRequest request, string query, CancellationToken cancellationToken) =>
        RunCoreAsync(request, query, cancellationToken);

    public Task<FhirQueryResult> ContinueAsync(HookRequest request, string nextUrl, CancellationToken cancellationToken) =>
        RunCoreAsync(request, nextUrl, cancellationToken);

    private async Task<FhirQueryResult> RunCoreAsync(HookRequest request, string query, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(request.FhirServer, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            return FhirQueryResult.Failed("fhirServer is not an http(s) URL");
        try
        {
            var callLimits = _calls.TryGetValue(request, out var budgets) ? limits with { Budget = budgets.Bytes, ResourceBudget = budgets.Resources } : limits;
            var outcome = await clients().QueryAsync(baseUrl, query, request.FhirAuthorization?.AccessToken, callLimits, cancellationToken).ConfigureAwait(false);
            if (outcome.Error is not null) return FhirQueryResult.Failed(outcome.Error) with { Pages = outcome.Pages };
            return new FhirQueryResult(outcome.Resources, null,
                outcome.Truncated ? $"the FHIR server had more than {limits.MaxPages} pages; only those were read" : null, outcome.Pages);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return FhirQueryResult.Failed("the FHIR server did not answer before the deadline");
        }
    }
}
