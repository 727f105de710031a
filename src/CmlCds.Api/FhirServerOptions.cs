using System.ComponentModel.DataAnnotations;
using CmlCds.Fhir.Client;

namespace CmlCds.Api;

/// <summary>
/// Configuration section <c>FhirServer</c>: how the service queries the EHR's <c>fhirServer</c> when prefetch is
/// missing (CDS Hooks 2.0 §Prefetch).
/// </summary>
public sealed class FhirServerOptions
{
    public const string Section = "FhirServer";

    /// <summary>All FHIR queries of one hook call, in parallel, must finish within this; past it they count as unavailable (412 for required data).</summary>
    [Range(100, 60_000)]
    public int DeadlineMs { get; set; } = 3000;

    /// <summary>Pages followed through <c>link[rel=next]</c> per query.</summary>
    [Range(1, 1000)]
    public int MaxPages { get; set; } = 20;

    /// <summary>The largest page read, in bytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxPageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>All FHIR-server bytes one hook call may read, over all its queries and pages (a CML chart is well under 1 MB).</summary>
    [Range(1024, 1L << 32)]
    public long MaxBytesPerCall { get; set; } = 16 * 1024 * 1024;

    /// <summary>All FHIR-server bytes the calls in flight may hold together: the memory bound under a hostile or broken server.</summary>
    [Range(1024, 1L << 36)]
    public long MaxBytesInFlight { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Resources one query may return over all its pages. 5,000 is above the most a conformant server can send for a
    /// <c>_count=200</c> search within <see cref="MaxPages"/> pages, and far above any chart; a server that ignores
    /// <c>_count</c> and sends a page of 50,000 entries fails the query at the first one too many.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxResourcesPerQuery { get; set; } = 5_000;

    /// <summary>
    /// Resources one hook call may read over all its queries: what the call holds in memory, since the model weighs some
    /// times its JSON. 10,000 is far above a long chart with every drug the patient takes (the large benchmark patient,
    /// 20 years monthly, is about 300) and keeps four hostile calls at once to tens of MB.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxResourcesPerCall { get; set; } = 10_000;

    public FhirClientLimits Limits => new(MaxPages, MaxPageBytes, MaxResources: MaxResourcesPerQuery);
}
