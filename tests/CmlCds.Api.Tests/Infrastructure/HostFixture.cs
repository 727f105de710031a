namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>One service instance shared by a test class (ELN 2020, the defaults).</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;
    public async Task InitializeAsync() => Host = await TestHost.StartAsync();
    public async Task DisposeAsync() => await Host.DisposeAsync();
}
