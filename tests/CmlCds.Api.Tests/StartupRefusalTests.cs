using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 17 items 2 and 9: outside Development the service refuses to start when a JWT's audience would come from the
/// request's Host header, and every start-up refusal is one line on stderr saying what to set, with a non-zero exit
/// and no stack trace (the real process is run).
/// </summary>
public sealed class StartupRefusalTests
{
    private static readonly Dictionary<string, string?> Trusted = new()
    {
        ["environment"] = "Production",
        ["Audit:PatientKeySecret"] = "test-audit-secret",
        ["CdsHooks:Auth:TrustedIssuers:0:Issuer"] = "https://ehr.example",
        ["CdsHooks:Auth:TrustedIssuers:0:JwksUri"] = "http://127.0.0.1:9/jwks.json",
    };

    [Fact]
    public async Task Production_without_PublicBaseUrl_and_with_any_host_allowed_refuses_to_start()
    {
        var e = await Assert.ThrowsAsync<StartupRefusedException>(() => TestHost.StartAsync(new Dictionary<string, string?>(Trusted) { ["AllowedHosts"] = "*" }));
        Assert.Contains("CdsHooks:Auth:PublicBaseUrl is not set", e.Message);
        Assert.Contains("'Production'", e.Message);
    }

    [Fact]
    public async Task Production_with_PublicBaseUrl_checks_the_audience_against_it_whatever_the_Host_header()
    {
        var key = ClientKey.Es384("ehr-key");
        await using var jwks = await JwksServer.StartAsync();
        var settings = new Dictionary<string, string?>(Trusted)
        {
            ["AllowedHosts"] = "*",
            ["CdsHooks:Auth:PublicBaseUrl"] = "https://cds.example.org",
            ["CdsHooks:Auth:TrustedIssuers:0:JwksUri"] = jwks.Publish("/jwks.json", key),
        };
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(settings, b => b.Logging.AddProvider(logs));

        async Task<HttpStatusCode> Discovery(string audience, string? hostHeader)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Jwt.Sign(key, "https://ehr.example", audience, DateTime.UtcNow.AddMinutes(5)));
            if (hostHeader is not null) message.Headers.Host = hostHeader;
            using var response = await host.Client.SendAsync(message);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Discovery("https://cds.example.org/cds-services", null));
        // A token for another host, sent with that Host header: the audience is not taken from the request.
        Assert.Equal(HttpStatusCode.Unauthorized, await Discovery("http://evil.example/cds-services", "evil.example"));
        Assert.Contains(logs.Messages, m => m.Contains("JWT rejected: SecurityTokenInvalidAudienceException", StringComparison.Ordinal));
    }

    public static TheoryData<string, string[]> Refusals() => new()
    {
        { "No trusted issuer is configured", ["--environment", "Production"] },
        { "CdsHooks:Auth:PublicBaseUrl is not set", ["--environment", "Production", "--CdsHooks:Auth:TrustedIssuers:0:Issuer=https://ehr.example", "--Audit:PatientKeySecret=s"] },
        { "Audit:PatientKeySecret is not configured", ["--environment", "Production", "--CdsHooks:Auth:TrustedIssuers:0:Issuer=https://ehr.example", "--CdsHooks:Auth:PublicBaseUrl=https://cds.example.org"] },
        { "Storage:Provider is Postgres but ConnectionStrings:CmlCds is not set", ["--environment", "Development", "--Storage:Provider=Postgres", "--ConnectionStrings:CmlCds="] },
        { "Invalid configuration", ["--environment", "Development", "--FhirServer:DeadlineMs=5"] },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_start_up_is_one_line_on_stderr_and_exit_2(string says, string[] args)
    {
        var dll = DurabilityTests.ServiceDll();
        var info = new ProcessStartInfo("dotnet", ["exec", dll, "--urls", "http://127.0.0.1:0", .. args])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var error = (await stderr).TrimEnd();
        Assert.Equal(StartupRefusedException.ExitCode, process.ExitCode);
        Assert.StartsWith("cmlcds: cannot start: ", error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error + await stdout, StringComparison.Ordinal);
    }
}
