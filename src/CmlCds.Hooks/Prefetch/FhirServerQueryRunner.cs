using CmlCds.Fhir.Client;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Prefetch;

/// <summary>
/// Runs prefetch queries against the request's <c>fhirServer</c> (CDS Hooks 2.0 §FHIR Resource Access): the bearer
/// token of <c>fhirAuthorization</c> when one is given and only then. The caller's token carries the deadline.
/// </summary>
public sealed class FhirServerQueryRunner(Func<FhirClient> clients, FhirClientLimits limits) : IFhirQueryRunner
{
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
            var outcome = await clients().QueryAsync(baseUrl, query, request.FhirAuthorization?.AccessToken, limits, cancellationToken).ConfigureAwait(false);
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
