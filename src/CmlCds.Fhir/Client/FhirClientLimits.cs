namespace CmlCds.Fhir.Client;

/// <summary>Bounds on one FHIR query (with its pages).</summary>
/// <param name="MaxPages">Pages followed through <c>link[rel=next]</c> before giving up (the result is then incomplete).</param>
/// <param name="MaxResponseBytes">The largest page accepted; a larger one is refused, not read.</param>
/// <param name="MaxResources">Resources one query may return over all its pages. The default is above the most a
/// <c>_count=200</c> search can bring in 20 pages, and far above any patient's chart; a server sending more (say, a page
/// of 50,000 entries whatever <c>_count</c> asked) fails the query instead of filling memory with model objects.</param>
/// <param name="Budget">When set, every byte read is taken from it (the hook call's budget); a spent budget ends the query.</param>
/// <param name="ResourceBudget">When set, every resource read is taken from it (the hook call's budget, over all its
/// queries); a spent budget ends the query at the first resource too many.</param>
public sealed record FhirClientLimits(int MaxPages = 20, long MaxResponseBytes = 16 * 1024 * 1024, ReadBudget? Budget = null, int MaxResources = 5_000,
    ReadBudget? ResourceBudget = null);

/// <summary>What a FHIR query returned: the resources, or why it failed.</summary>
/// <param name="Error">Null on success; otherwise a short reason without secrets (no token, no body).</param>
/// <param name="Truncated">True when the page cap stopped the paging: the data is incomplete.</param>
/// <param name="Requests">HTTP requests sent, retries included.</param>
/// <param name="Pages">Pages (or the one resource of a read) received and read.</param>
public sealed record FhirQueryOutcome(IReadOnlyList<Model.Resource> Resources, string? Error, bool Truncated = false, int Requests = 0, int Pages = 0)
{
    public bool Succeeded => Error is null;
}
