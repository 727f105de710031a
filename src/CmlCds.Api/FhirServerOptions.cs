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

    public FhirClientLimits Limits => new(MaxPages, MaxPageBytes);
}
