using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// No PHI and no tokens in logs: a full authenticated run that fetches from the FHIR server, logged at Trace for every
/// category, must not contain the JWT, the FHIR access token, the patient's name, identifier or raw id.
/// </summary>
public sealed class LogHygieneTests
{
    private const string Issuer = "https://ehr.example.org";
    private const string PatientName = "Jansen-Vermeulen";
    private const string Mrn = "MRN-5550123";
    private const string FhirToken = "fhir-access-token-7f3c9e1d";

    [Fact]
    public async Task A_full_run_logs_neither_tokens_nor_patient_identity()
    {
        var key = ClientKey.Es384("ehr-1");
        await using var jwks = await JwksServer.StartAsync();
        var jwksUrl = jwks.Publish("/jwks.json", key);
        await using var fhir = await FhirDouble.StartAsync();

        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
        var patientId = (string)request["context"]!["patientId"]!;
        request["prefetch"]!["patient"] = JsonNode.Parse($$"""
            {"resourceType":"Patient","id":"{{patientId}}","birthDate":"1968-04-12",
             "name":[{"family":"{{PatientName}}","given":["Anna"]}],
             "identifier":[{"system":"urn:oid:2.16.840.1.113883.19.5","value":"{{Mrn}}"}]}
            """);
        fhir.ServePrefetchOf(request, System.Text.Json.JsonSerializer.Deserialize(request.ToJsonString(), CmlCds.Hooks.Json.CdsHooksJson.HookRequest)!);
        request.Remove("prefetch");
        request["fhirServer"] = fhir.BaseUrl.AbsoluteUri;
        request["fhirAuthorization"] = new JsonObject { ["access_token"] = FhirToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/*.read", ["subject"] = "cml-cds" };

        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["AllowedHosts"] = "127.0.0.1",
            ["Audit:PatientKeySecret"] = "test-audit-secret",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
            ["CdsHooks:Auth:TrustedIssuers:0:Issuer"] = Issuer,
            ["CdsHooks:Auth:TrustedIssuers:0:JwksUri"] = jwksUrl,
            ["CdsHooks:Auth:TrustedIssuers:0:FhirServers:0"] = fhir.BaseUrl.AbsoluteUri,
        }, b => b.Logging.AddProvider(logs));

        var jwt = Jwt.Sign(key, Issuer, new Uri(host.BaseAddress, "/cds-services/cml-monitoring").AbsoluteUri, DateTime.UtcNow.AddMinutes(5));
        using var message = new HttpRequestMessage(HttpMethod.Post, "/cds-services/cml-monitoring")
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        using var response = await host.Client.SendAsync(message);
        Assert.True(response.StatusCode == HttpStatusCode.OK, string.Join("\n", logs.Messages.Where(m => m.Contains("JWT rejected", StringComparison.Ordinal))));
        Assert.All(fhir.Requests, r => Assert.Equal("Bearer " + FhirToken, r.Authorization)); // the data really flowed
        using (var replay = new HttpRequestMessage(HttpMethod.Get, "/cds-services"))
        {
            replay.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt); // a rejected token is logged too
            using var rejected = await host.Client.SendAsync(replay);
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }

        var all = string.Join("\n", logs.Messages);
        Assert.True(logs.Messages.Count > 20, "the run should have logged at Trace");
        Assert.Contains("hook d1577c69-dfbe-44ad-ba6d-3e05e953b2ea service cml-monitoring patient ", all);
        foreach (var secret in new[] { jwt, jwt.Split('.')[1], jwt.Split('.')[2], FhirToken, PatientName, Mrn, patientId })
            Assert.False(all.Contains(secret, StringComparison.Ordinal), $"the logs contain '{secret}':\n{string.Join("\n", logs.Messages.Where(m => m.Contains(secret, StringComparison.Ordinal)))}");
    }
}
