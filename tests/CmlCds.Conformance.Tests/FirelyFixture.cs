using CmlCds.Conformance;
using CmlCds.Fhir.Tests.Conformance;

namespace CmlCds.Conformance.Tests;

/// <summary>
/// One Firely package and validator for every test of this project: the guide read from the repository's
/// fhir-profiles/ with every snapshot generated from its differential (seconds, paid once), schemas compiled on first use.
/// </summary>
public sealed class FirelyFixture
{
    private static readonly Lazy<FirelyFixture> Shared = new(() => new FirelyFixture());

    public static FirelyFixture Instance => Shared.Value;

    public IReadOnlyList<(string Name, string Json)> Sources { get; }
    public FirelyPackage Package { get; }
    public FirelyValidator Validator { get; }

    private FirelyFixture()
    {
        Sources = FirelyPackage.ReadSources(ProfileFiles.Directory);
        Package = FirelyPackage.Load(Sources, published: null);
        Validator = new FirelyValidator(Package);
    }

    /// <summary>The repository root (where CmlCds.sln is).</summary>
    public static string Root => Path.GetDirectoryName(ProfileFiles.Directory)!;
}

[CollectionDefinition(Name)]
public sealed class FirelyCollection : ICollectionFixture<FirelyFixtureHandle>
{
    public const string Name = "Firely";
}

/// <summary>The xunit handle of <see cref="FirelyFixture"/> (the fixture itself is a process-wide singleton).</summary>
public sealed class FirelyFixtureHandle
{
    public FirelyFixture Fixture => FirelyFixture.Instance;
}
