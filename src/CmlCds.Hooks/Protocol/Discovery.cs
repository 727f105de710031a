namespace CmlCds.Hooks.Protocol;

/// <summary>The discovery response: <c>{"services": [...]}</c> (CDS Hooks 2.0 §Discovery).</summary>
public sealed record DiscoveryResponse(IReadOnlyList<CdsServiceDescriptor> Services);

/// <summary>One service in discovery. Key order in <see cref="Prefetch"/> is kept as declared.</summary>
public sealed record CdsServiceDescriptor
{
    public required string Hook { get; init; }
    public string? Title { get; init; }
    public required string Description { get; init; }
    public required string Id { get; init; }
    public IReadOnlyDictionary<string, string>? Prefetch { get; init; }
    public string? UsageRequirements { get; init; }
}
