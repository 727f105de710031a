using System.ComponentModel.DataAnnotations;

namespace CmlCds.Api.Security;

/// <summary>
/// Configuration section <c>CdsHooks:Auth</c> (CDS Hooks 2.0 §Trusting CDS Clients). With no trusted issuer the
/// service runs open, and only in the Development environment.
/// </summary>
public sealed class TrustOptions
{
    public const string Section = "CdsHooks:Auth";

    /// <summary>The CDS clients (EHRs) whose JWTs are accepted. Environment: <c>CdsHooks__Auth__TrustedIssuers__0__Issuer</c>...</summary>
    public List<TrustedIssuer> TrustedIssuers { get; set; } = [];

    /// <summary>
    /// The public base URL of this service (e.g. <c>https://cds.example.org</c>) when it runs behind a proxy: the JWT
    /// <c>aud</c> must be this plus the path called. Unset: the scheme, host and path of the request as received.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Tolerance on <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    [Range(0, 600)]
    public int ClockSkewSeconds { get; set; } = 300;

    /// <summary>
    /// The longest token accepted, both as <c>exp − iat</c> and as <c>exp − now</c> (CDS Hooks suggests 5 minutes; Epic
    /// uses 15): a long-lived token would outlive the <c>jti</c> replay cache's memory of it.
    /// </summary>
    [Range(60, 86_400)]
    public int MaxTokenLifetimeSeconds { get; set; } = 3600;

    public bool Open => TrustedIssuers.Count == 0;
}

/// <summary>One trusted CDS client.</summary>
public sealed class TrustedIssuer
{
    /// <summary>The JWT <c>iss</c>, exactly.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>Where its JWK Set is published (used when the token has no <c>jku</c>).</summary>
    public string? JwksUri { get; set; }

    /// <summary>
    /// A JWK Set file, relative to the content root, for keys exchanged out of band (CDS Hooks requirement 199). Its keys
    /// also serve tokens whose <c>jku</c> is allow-listed (pinned keys): the <c>jku</c> is fetched only for a <c>kid</c> not in it.
    /// </summary>
    public string? JwksFile { get; set; }

    /// <summary>The <c>jku</c> header values accepted for this issuer; a token naming another <c>jku</c> is refused.</summary>
    public List<string> AllowedJku { get; set; } = [];

    /// <summary>When not empty, the token's <c>tenant</c> claim must be one of these.</summary>
    public List<string> Tenants { get; set; } = [];

    /// <summary>The FHIR servers this client may ask the service to query (<c>fhirServer</c>); others get 412, unqueried.</summary>
    public List<string> FhirServers { get; set; } = [];

    /// <summary><see cref="FhirServers"/> parsed once, not on every hook call (configuration does not change while running).</summary>
    internal CmlCds.Hooks.Prefetch.FhirServerPolicy FhirServerPolicy => _policy ??= CmlCds.Hooks.Prefetch.FhirServerPolicy.Only(FhirServers);
    private CmlCds.Hooks.Prefetch.FhirServerPolicy? _policy;
}
