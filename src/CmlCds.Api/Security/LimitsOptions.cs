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

    /// <summary>Hook calls per minute per trusted issuer (per remote address in open mode); 429 above it.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerMinute { get; set; } = 1200;
}

/// <summary>Configuration section <c>Cors</c>: browser origins allowed to call (any origin in open Development mode).</summary>
public sealed class CorsOptions
{
    public const string Section = "Cors";
    public List<string> AllowedOrigins { get; set; } = [];
}
