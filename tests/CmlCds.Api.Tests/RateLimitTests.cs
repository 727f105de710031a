using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using CmlCds.Api.Security;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 17 items 4b and 10: the rate limit is applied before the token's signature is checked, per client address
/// and claimed issuer, so a flood of forged tokens costs no signature check past the limit and does not throttle the
/// real EHR calling from another address; the default does not refuse a busy EHR's normal peak.
/// </summary>
public sealed class RateLimitTests
{
    private const string Issuer = "https://ehr.example";

    [Fact]
    public void The_default_admits_200_calls_a_second_from_one_EHR() =>
        Assert.True(new LimitsOptions().PermitsPerMinute >= 200 * 60);

    [Fact]
    public async Task A_forged_token_flood_is_refused_429_before_any_signature_check_and_the_real_EHR_is_not_throttled()
    {
        var key = ClientKey.Es384("ehr");
        var forger = ClientKey.Es384("ehr"); // same kid, another key: the signature fails
        await using var jwks = await JwksServer.StartAsync();
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["AllowedHosts"] = "127.0.0.1",
            ["Audit:PatientKeySecret"] = "test-audit-secret",
            ["Limits:PermitsPerMinute"] = "5",
            ["CdsHooks:Auth:TrustedIssuers:0:Issuer"] = Issuer,
            ["CdsHooks:Auth:TrustedIssuers:0:JwksUri"] = jwks.Publish("/jwks.json", key),
        }, b => b.Logging.AddProvider(logs));
        var audience = new Uri(host.BaseAddress, "/cds-services").AbsoluteUri;

        // The forger calls from 127.0.0.2.
        using var fromElsewhere = ClientFrom("127.0.0.2", host.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
            statuses.Add(await Discovery(fromElsewhere, Jwt.Sign(forger, Issuer, audience, DateTime.UtcNow.AddMinutes(5))));
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
        Assert.Equal(5, logs.Messages.Count(m => m.Contains("JWT rejected: SecurityTokenInvalidSignatureException", StringComparison.Ordinal)));

        // The EHR itself, from 127.0.0.1, still gets its own five.
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, await Discovery(host.Client, Jwt.Sign(key, Issuer, audience, DateTime.UtcNow.AddMinutes(5))));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Discovery(host.Client, Jwt.Sign(key, Issuer, audience, DateTime.UtcNow.AddMinutes(5))));
    }

    private static async Task<HttpStatusCode> Discovery(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>An HTTP client whose connections leave from another loopback address (another client, to the service).</summary>
    private static HttpClient ClientFrom(string localAddress, Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = baseAddress };
}
