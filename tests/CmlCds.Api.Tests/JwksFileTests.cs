using CmlCds.Api.Security;
using CmlCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace CmlCds.Api.Tests;

/// <summary>The CDS Hooks sandbox's published JWKS, shipped for out-of-band trust (requirement 199), reads as its ES384 key.</summary>
public class JwksFileTests
{
    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("a file source must not use HTTP");
    }

    [Fact]
    public async Task Req199_sandbox_jwks_file_gives_its_P384_key()
    {
        var cache = new JwksCache(new NoHttp(), TimeProvider.System, new TestEnvironment("Production", Path.Combine(Repo.Root, "src", "CmlCds.Api")), NullLogger<JwksCache>.Instance);
        var keys = await cache.KeysAsync("file:trust/sandbox-jwks.json", "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f", default);
        var key = Assert.IsType<JsonWebKey>(Assert.Single(keys));
        Assert.Equal(("EC", "P-384", "ES384"), (key.Kty, key.Crv, key.Alg));
    }

    [Fact]
    public async Task A_missing_file_gives_no_keys_and_no_exception()
    {
        var cache = new JwksCache(new NoHttp(), TimeProvider.System, new TestEnvironment("Production", Repo.Root), NullLogger<JwksCache>.Instance);
        Assert.Empty(await cache.KeysAsync("file:nowhere/jwks.json", null, default));
    }
}
