using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Fhir.Client;
using CmlCds.Fhir.Json;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Cli;

/// <summary>
/// What an EHR does at chart open: read the service's discovery, fill its prefetch templates from the FHIR server (or
/// leave them to the service), post a patient-view hook request with fhirServer, and show the cards.
/// </summary>
public static class EhrSimulator
{
    public static async Task<(int ExitCode, string Output)> CallAsync(Uri fhirServer, string patientId, Uri serviceUrl, bool withPrefetch, string? fhirToken, CancellationToken cancellationToken)
    {
        using var http = Http.Client(null);
        var baseUrl = new Uri(serviceUrl.AbsoluteUri[..serviceUrl.AbsoluteUri.TrimEnd('/').LastIndexOf('/')]);
        var serviceId = serviceUrl.Segments[^1].Trim('/');
        var descriptor = (await DiscoveryAsync(http, baseUrl, cancellationToken)).Services.FirstOrDefault(s => s.Id == serviceId)
            ?? throw new CliException($"the discovery at {baseUrl} lists no service '{serviceId}'; --service must be <base>/cds-services/<id>, e.g. http://localhost:5080/cds-services/cml-monitoring.");

        var request = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = descriptor.Hook,
            ["fhirServer"] = fhirServer.AbsoluteUri.TrimEnd('/'),
            ["context"] = new JsonObject { ["userId"] = "Practitioner/cmlcds-cli", ["patientId"] = patientId },
        };
        if (fhirToken is not null)
            request["fhirAuthorization"] = new JsonObject { ["access_token"] = fhirToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/*.read", ["subject"] = "cmlcds-cli" };
        if (withPrefetch && descriptor.Prefetch is { } templates)
        {
            var parsed = JsonSerializer.Deserialize(request.ToJsonString(), CdsHooksJson.HookRequest)!;
            var client = new FhirClient(http, TimeProvider.System);
            var prefetch = new JsonObject();
            foreach (var (key, template) in templates)
            {
                var query = PrefetchTemplate.Fill(template, parsed);
                if (query is null) continue;
                var outcome = await client.QueryAsync(fhirServer, query, fhirToken, new FhirClientLimits(), cancellationToken);
                if (outcome.Error is { } error && error.StartsWith("cannot connect", StringComparison.Ordinal))
                    throw new CliException($"cannot reach the FHIR server (--fhir) at {fhirServer.GetLeftPart(UriPartial.Authority)}; is it running, and is the URL right?");
                if (!outcome.Succeeded) continue; // a key the EHR could not fill is left out, as EHRs do
                prefetch[key] = query.Contains('?', StringComparison.Ordinal) || outcome.Resources.Count != 1
                    ? JsonNode.Parse(FhirJson.Serialize(new CmlCds.Fhir.Model.Bundle
                    {
                        Type = "searchset", Total = outcome.Resources.Count,
                        Entry = outcome.Resources.Select(r => new CmlCds.Fhir.Model.BundleEntry { Resource = r }).ToList(),
                    }))
                    : JsonNode.Parse(FhirJson.Serialize(outcome.Resources[0]));
            }
            request["prefetch"] = prefetch;
        }

        using var response = await Http.SendAsync("the CDS service (--service)", serviceUrl, () =>
            http.PostAsync(serviceUrl, new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken));
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new CliException($"the service answered {Http.Failure(response, body)}");
        return (0, Printing.Table(JsonSerializer.Deserialize(body, CdsHooksJson.Response)!));
    }

    private static async Task<DiscoveryResponse> DiscoveryAsync(HttpClient http, Uri baseUrl, CancellationToken cancellationToken)
    {
        using var response = await Http.SendAsync("the CDS service (--service)", baseUrl, () => http.GetAsync(baseUrl, cancellationToken));
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new CliException($"the discovery at {baseUrl} answered {Http.Failure(response, body)}; is --service the URL of a CDS service?");
        try
        {
            return JsonSerializer.Deserialize(body, CdsHooksJson.Discovery) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new CliException($"{baseUrl} did not answer a CDS Hooks discovery document; is --service the URL of a CDS service?");
        }
    }
}
