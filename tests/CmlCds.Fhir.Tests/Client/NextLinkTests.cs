using CmlCds.Fhir.Client;

namespace CmlCds.Fhir.Tests.Client;

/// <summary>Issue 17 item 3: a next link (absolute or relative) is followed only on the base's origin and under its path.</summary>
public class NextLinkTests
{
    private static readonly Uri Base = new("http://127.0.0.1:8080/fhir/r4");

    [Theory]
    [InlineData("Observation?patient=p", "http://127.0.0.1:8080/fhir/r4/Observation?patient=p")]
    [InlineData("/Observation?patient=p", "http://127.0.0.1:8080/fhir/r4/Observation?patient=p")]
    [InlineData("http://127.0.0.1:8080/fhir/r4/Observation?_page=2", "http://127.0.0.1:8080/fhir/r4/Observation?_page=2")]
    [InlineData("HTTP://127.0.0.1:8080/fhir/r4?_getpages=x", "http://127.0.0.1:8080/fhir/r4?_getpages=x")]
    [InlineData("sub/../Observation?_page=3", "http://127.0.0.1:8080/fhir/r4/Observation?_page=3")]
    public void Links_under_the_base_are_followed(string link, string expected)
    {
        Assert.True(FhirClient.TryResolve(Base, link, out var url));
        Assert.Equal(expected, url.AbsoluteUri);
    }

    [Theory]
    [InlineData("../escaped")]
    [InlineData("../../admin/secret")]
    [InlineData("./../r4x/Observation")]
    [InlineData("%2e%2e/escaped")]
    [InlineData("http://127.0.0.1:8080/admin/secret")]
    [InlineData("http://127.0.0.1:8080/fhir/r4x/Observation")]
    [InlineData("http://127.0.0.1:8080/fhir/r4/../../admin")]
    [InlineData("http://127.0.0.2:8080/fhir/r4/Observation")]
    [InlineData("http://127.0.0.1:8081/fhir/r4/Observation")]
    [InlineData("https://127.0.0.1:8080/fhir/r4/Observation")]
    [InlineData("http://user:pw@127.0.0.1:8080/fhir/r4/Observation")]
    [InlineData("//127.0.0.2/fhir/r4/Observation")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://[::1")]
    public void Links_that_leave_the_base_or_are_no_URL_are_refused(string link) =>
        Assert.False(FhirClient.TryResolve(Base, link, out _));
}
