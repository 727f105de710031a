using System.ComponentModel.DataAnnotations;

namespace CmlCds.Api.Security;

/// <summary>Configuration section <c>Limits</c>: what one caller may send and how long an answer may take.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest request body accepted (413 above it).</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in a hook request (400 deeper).</summary>
    [Range(16, 256)]
    public int MaxJsonDepth { get; set; } = 128;

    /// <summary>
    /// Calls per minute per client address and claimed issuer (per address without a token); 429 above it, counted
    /// before the token is verified. 12,000 a minute (200 a second) is over twice the morning-rounds peak of a large
    /// health system on one EHR instance (README, "Other limits"), and far below what floods a 2-core host.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerMinute { get; set; } = 12_000;
}

/// <summary>Configuration section <c>Cors</c>: browser origins allowed to call (any origin in open Development mode).</summary>
public sealed class CorsOptions
{
    public const string Section = "Cors";
    public List<string> AllowedOrigins { get; set; } = [];
}
