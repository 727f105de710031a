using CmlCds.Hooks.Prefetch;

namespace CmlCds.Hooks.Tests.Prefetch;

/// <summary>Issue 17 item 3: the fhirServer allow-list compares normalised scheme, host, port and path prefix at a segment boundary.</summary>
public class FhirServerPolicyTests
{
    private static readonly FhirServerPolicy Policy = FhirServerPolicy.Only(["https://fhir.example.org/r4", "http://127.0.0.1:8080/fhir/"]);

    [Theory]
    [InlineData("https://fhir.example.org/r4")]
    [InlineData("https://fhir.example.org/r4/")]
    [InlineData("HTTPS://FHIR.example.org/r4")]
    [InlineData("https://fhir.example.org:443/r4")]
    [InlineData("https://fhir.example.org/r4/tenant-1")]
    [InlineData("http://127.0.0.1:8080/fhir")]
    public void Allowed_servers_and_paths_below_them_pass(string server) => Assert.True(Policy.Allows(server));

    [Theory]
    [InlineData("https://fhir.example.org/r4?@evil.example")]
    [InlineData("https://fhir.example.org/r4?x=1")]
    [InlineData("https://fhir.example.org/r4#frag")]
    [InlineData("https://fhir.example.org/r4/#")]
    [InlineData("https://fhir.example.org/r4?")]
    [InlineData("https://user@fhir.example.org/r4")]
    [InlineData("https://fhir.example.org@evil.example/r4")]
    [InlineData("https://fhir.example.org/r4x")]
    [InlineData("https://fhir.example.org/r")]
    [InlineData("https://fhir.example.org/r4/../admin")]
    [InlineData("https://fhir.example.org/admin")]
    [InlineData("https://fhir.example.org:8443/r4")]
    [InlineData("http://fhir.example.org/r4")]
    [InlineData("https://fhir.example.org.evil.example/r4")]
    [InlineData("http://127.0.0.2:8080/fhir")]
    [InlineData("http://127.0.0.1:8081/fhir")]
    [InlineData("ftp://fhir.example.org/r4")]
    [InlineData("fhir.example.org/r4")]
    public void URL_tricks_do_not_pass(string server) => Assert.False(Policy.Allows(server));

    [Fact]
    public void Open_mode_still_refuses_what_is_no_plain_base_URL()
    {
        Assert.True(FhirServerPolicy.Any.Allows("http://127.0.0.1:9/fhir"));
        Assert.False(FhirServerPolicy.Any.Allows("http://127.0.0.1:9/fhir?@evil.example"));
        Assert.False(FhirServerPolicy.Any.Allows("file:///etc/passwd"));
    }
}
