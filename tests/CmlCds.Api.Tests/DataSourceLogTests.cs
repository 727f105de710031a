using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// The log says where each prefetch key's data came from, per call, with counts and no PHI: prefetch, prefetch+fetched
/// (a paged prefetch whose further pages the service read), fetched (fallback on fhirServer), null (the client found
/// none) or missing, with entries, pages and milliseconds; so an informaticist can see the fallback at work.
/// </summary>
public sealed class DataSourceLogTests : IClassFixture<TestFhirServerTests.Loaded>
{
    private const string Scenario = "t315i-on-imatinib";
    private readonly MedplumFhirServer _server;
    public DataSourceLogTests(TestFhirServerTests.Loaded loaded) => _server = loaded.Server;

    private static JsonObject Request() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", Scenario, "request.json")))!.AsObject();

    private static async Task<(HttpStatusCode Status, string[] Lines)> Call(JsonObject request)
    {
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(TestHost.WithPagedDeadline(), b => b.Logging.AddProvider(logs));
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, logs.Messages.Where(m => m.Contains(" prefetch ", StringComparison.Ordinal)).ToArray());
    }

    [FhirServerFact]
    public async Task Each_key_is_logged_with_its_source_entries_pages_and_time()
    {
        var request = Request();
        var prefetch = request["prefetch"]!.AsObject();
        prefetch.Remove("conditions"); // fetched
        prefetch["mutations"] = null; // the client found none
        // a first page of 2 of the 4 %IS results, with its next link: the service reads the other pages
        prefetch["bcrAbl1"] = await _server.GetAsync($"Observation?patient={Scenario}&code=http://loinc.org|69380-4&_count=2");
        request["fhirServer"] = _server.BaseUrl.AbsoluteUri.TrimEnd('/');

        var (status, lines) = await Call(request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(CmlCds.Hooks.Service.CmlMonitoringService.PrefetchKeys.Count, lines.Length);
        Assert.Single(lines, l => l.Contains("prefetch patient: prefetch, 1 entries, 0 pages, 0.0 ms", StringComparison.Ordinal));
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"prefetch bcrAbl1: prefetch\+fetched, 4 entries, 1 pages, \d+\.\d ms"));
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"prefetch conditions: fetched, 1 entries, 1 pages, \d+\.\d ms"));
        Assert.Single(lines, l => l.Contains("prefetch mutations: null, 0 entries, 0 pages", StringComparison.Ordinal));
        var hookInstance = (string)request["hookInstance"]!;
        Assert.All(lines, l => Assert.Contains($"hook {hookInstance} prefetch ", l));
        Assert.All(lines, l => Assert.DoesNotContain(Scenario, l)); // no patient id, no query URL
    }

    [Fact]
    public async Task A_412_logs_the_keys_that_were_missing()
    {
        var request = Request();
        request["prefetch"]!.AsObject().Remove("conditions");
        var (status, lines) = await Call(request); // no fhirServer: nothing can be fetched
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Single(lines, l => l.Contains("prefetch conditions: missing, 0 entries, 0 pages, 0.0 ms", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("prefetch medicationRequests: prefetch, ", StringComparison.Ordinal));
    }
}
