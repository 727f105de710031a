using System.Collections.Concurrent;
using System.Text.Json;
using CmlCds.Clinical.Patients;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;

namespace CmlCds.Hooks.Tests.Prefetch;

/// <summary>CDS Hooks 2.0 prefetch semantics (DESIGN.md): absent / null / OperationOutcome / Bundle with next.</summary>
public class PrefetchResolverTests
{
    private sealed class RecordingRunner(Func<string, FhirQueryResult>? answer = null) : IFhirQueryRunner
    {
        public ConcurrentBag<string> Queries { get; } = [];
        public Task<FhirQueryResult> RunAsync(HookRequest request, string query, CancellationToken ct)
        {
            Queries.Add(query);
            return Task.FromResult(answer?.Invoke(query) ?? new FhirQueryResult([], null));
        }
        public Task<FhirQueryResult> ContinueAsync(HookRequest request, string nextUrl, CancellationToken ct)
        {
            Queries.Add("next:" + nextUrl);
            return Task.FromResult(new FhirQueryResult([Fhir.BcrAbl1("page2", "2025-01-01", "0.5")], null));
        }
    }

    private static HookRequest Request(string prefetchJson, string? fhirServer = "https://ehr.example.org/fhir") =>
        JsonSerializer.Deserialize($$"""
            {"hook":"patient-view","hookInstance":"h1","fhirServer":{{(fhirServer is null ? "null" : $"\"{fhirServer}\"")}},
             "context":{"patientId":"p 1","userId":"Practitioner/9"},"prefetch":{{prefetchJson}} }
            """, CdsHooksJson.HookRequest)!;

    private const string AllNull = """{"patient":null,"bcrAbl1":null,"mutations":null,"medicationRequests":null,"medicationStatements":null,"conditions":null,"serviceRequests":null,"pregnancy":null,"medicationDispenses":null}""";

    [Fact]
    public async Task Null_keys_are_known_empty_and_never_queried()
    {
        var runner = new RecordingRunner();
        var data = await new PrefetchResolver(runner).ResolveAsync(Request(AllNull), default);
        Assert.Empty(runner.Queries);
        Assert.Empty(data.Resources);
        Assert.Empty(data.Notes);
    }

    [Fact]
    public async Task Absent_keys_are_queried_with_the_template_filled_in()
    {
        var runner = new RecordingRunner();
        await new PrefetchResolver(runner).ResolveAsync(Request("{}"), default);
        Assert.Equal(CmlMonitoringService.PrefetchKeys.Count, runner.Queries.Count);
        Assert.Contains("Patient/p%201", runner.Queries);
        Assert.Contains(runner.Queries, q => q.StartsWith("Observation?patient=p%201&code=http://loinc.org|69380-4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperationOutcome_in_a_key_is_queried_again()
    {
        var runner = new RecordingRunner();
        var prefetch = AllNull.Replace("\"conditions\":null", """ "conditions":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}""", StringComparison.Ordinal);
        await new PrefetchResolver(runner).ResolveAsync(Request(prefetch), default);
        Assert.Equal(["Condition?patient=p%201&_count=100"], runner.Queries);
    }

    [Fact]
    public async Task Missing_required_key_without_a_FHIR_server_is_a_precondition_failure()
    {
        var prefetch = AllNull.Replace("\"bcrAbl1\":null,", "", StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<PrefetchUnavailableException>(() => new PrefetchResolver(null).ResolveAsync(Request(prefetch, null), default));
        Assert.Equal(["bcrAbl1"], e.Keys);
    }

    [Fact]
    public async Task Missing_optional_key_without_a_FHIR_server_is_a_data_quality_note()
    {
        var prefetch = AllNull.Replace("\"mutations\":null,", "", StringComparison.Ordinal);
        var data = await new PrefetchResolver(null).ResolveAsync(Request(prefetch, null), default);
        var note = Assert.Single(data.Notes);
        Assert.Equal(DataQualityCodes.DataUnavailable, note.Code);
        Assert.StartsWith("mutations", note.Message);
        Assert.Equal(["mutations"], data.UnreadKeys);
    }

    [Fact]
    public async Task Dispenses_and_statements_not_had_are_passed_on_as_unread_keys_for_the_cards()
    {
        var prefetch = AllNull.Replace("\"medicationStatements\":null,", "", StringComparison.Ordinal).Replace(",\"medicationDispenses\":null", "", StringComparison.Ordinal);
        var data = await new PrefetchResolver(null).ResolveAsync(Request(prefetch, null), default);
        Assert.Equal(["medicationDispenses", "medicationStatements"], data.UnreadKeys!.Order());
    }

    [Fact]
    public async Task A_dispense_bundle_read_on_its_first_page_only_is_an_unread_key()
    {
        var prefetch = AllNull.Replace("\"medicationDispenses\":null", """
            "medicationDispenses":{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"https://ehr.example.org/fhir?page=2"}],"entry":[]}
            """, StringComparison.Ordinal);
        var data = await new PrefetchResolver(null).ResolveAsync(Request(prefetch, null), default);
        Assert.Equal(["medicationDispenses"], data.UnreadKeys);
    }

    [Fact]
    public async Task Failed_query_for_a_required_key_is_a_precondition_failure_naming_the_reason()
    {
        var runner = new RecordingRunner(q => q.StartsWith("Condition", StringComparison.Ordinal) ? FhirQueryResult.Failed("HTTP 503") : new FhirQueryResult([], null));
        var e = await Assert.ThrowsAsync<PrefetchUnavailableException>(() => new PrefetchResolver(runner).ResolveAsync(Request("{}"), default));
        Assert.Equal(["conditions"], e.Keys);
        Assert.Contains("HTTP 503", e.Missing[0]);
    }

    [Fact]
    public async Task Paged_bundle_is_continued_from_its_next_link()
    {
        var prefetch = AllNull.Replace("\"bcrAbl1\":null", """
            "bcrAbl1":{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"https://ehr.example.org/fhir?page=2"}],
              "entry":[{"resource":{"resourceType":"Observation","id":"page1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]},"effectiveDateTime":"2025-06-01","valueQuantity":{"value":0.1,"unit":"%"}}}]}
            """, StringComparison.Ordinal);
        var runner = new RecordingRunner();
        var data = await new PrefetchResolver(runner).ResolveAsync(Request(prefetch), default);
        Assert.Equal(["next:https://ehr.example.org/fhir?page=2"], runner.Queries);
        Assert.Equal(["page1", "page2"], data.Resources.Select(r => r.Id!).Order());
    }

    [Fact]
    public async Task Paged_bundle_without_a_FHIR_server_uses_the_first_page_and_says_so()
    {
        var prefetch = AllNull.Replace("\"bcrAbl1\":null", """
            "bcrAbl1":{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"https://ehr.example.org/fhir?page=2"}],"entry":[]}
            """, StringComparison.Ordinal);
        var data = await new PrefetchResolver(null).ResolveAsync(Request(prefetch, null), default);
        Assert.Contains(data.Notes, n => n.Code == DataQualityCodes.DataUnavailable && n.Message.Contains("more pages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_single_resource_in_a_key_is_used()
    {
        var prefetch = AllNull.Replace("\"patient\":null", """ "patient":{"resourceType":"Patient","id":"p1","birthDate":"1970-01-01"}""", StringComparison.Ordinal);
        var data = await new PrefetchResolver(null).ResolveAsync(Request(prefetch, null), default);
        Assert.IsType<Patient>(Assert.Single(data.Resources));
    }
}
