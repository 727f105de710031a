using System.Net;
using System.Text;
using CmlCds.Fhir.Client;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Tests.Prefetch;

/// <summary>
/// Issue 17 item 4: what a hook call holds from a FHIR server is bounded in resources, per query (over its pages) and
/// per call (over its queries), and the query stops at the first resource too many instead of reading the rest. A
/// server within the bounds is read whole. (The real-HTTP, real-process memory test is MemoryTests in the API tests.)
/// </summary>
public class FhirServerReadLimitTests
{
    private const string Base = "http://fhir.test/fhir/";

    [Fact]
    public async Task A_query_within_the_per_query_bound_is_read_whole_over_its_pages()
    {
        var server = new PagingServer(entriesPerPage: 200, pages: 3);
        var runner = Runner(server, maxResourcesPerQuery: 600);
        var request = Request();
        using var _ = runner.BeginCall(request);
        var result = await runner.RunAsync(request, "Observation?patient=p", CancellationToken.None);
        Assert.Null(result.Error);
        Assert.Equal(600, result.Resources.Count);
        Assert.Equal(3, server.PagesServed);
    }

    [Fact]
    public async Task A_query_past_the_per_query_bound_fails_at_the_first_resource_too_many()
    {
        var server = new PagingServer(entriesPerPage: 200, pages: 3);
        var runner = Runner(server, maxResourcesPerQuery: 599);
        var request = Request();
        using var _ = runner.BeginCall(request);
        var result = await runner.RunAsync(request, "Observation?patient=p", CancellationToken.None);
        Assert.Equal("the FHIR server sent more than 599 resources for one query", result.Error);
        Assert.Empty(result.Resources);
        Assert.Equal(3, server.PagesServed);
    }

    [Fact]
    public async Task A_page_of_50000_entries_whatever_count_asked_stops_the_query_without_reading_the_page()
    {
        var server = new PagingServer(entriesPerPage: 50_000, pages: 1);
        var runner = Runner(server, maxResourcesPerQuery: 5_000);
        var request = Request();
        using var _ = runner.BeginCall(request);
        var result = await runner.RunAsync(request, "Observation?patient=p&_count=200", CancellationToken.None);
        Assert.Equal("the FHIR server sent more than 5000 resources for one query", result.Error);
        Assert.True(server.BytesSent < server.PageBytes / 4, $"{server.BytesSent} of {server.PageBytes} bytes of the page were read");
    }

    [Fact]
    public async Task Queries_of_one_call_share_the_per_call_bound_and_a_new_call_starts_afresh()
    {
        var server = new PagingServer(entriesPerPage: 150, pages: 2);
        var runner = Runner(server, maxResourcesPerQuery: 5_000, maxResourcesPerCall: 500);
        var request = Request();
        using (runner.BeginCall(request))
        {
            var first = await runner.RunAsync(request, "Observation?patient=p", CancellationToken.None);
            var second = await runner.RunAsync(request, "MedicationRequest?patient=p", CancellationToken.None);
            Assert.Null(first.Error);
            Assert.Equal(300, first.Resources.Count);
            Assert.Equal("the FHIR data of this call is over its 500-resource budget", second.Error);
        }

        var next = Request();
        using (runner.BeginCall(next))
        {
            var again = await runner.RunAsync(next, "MedicationRequest?patient=p", CancellationToken.None);
            Assert.Null(again.Error);
            Assert.Equal(300, again.Resources.Count);
        }
    }

    private static HookRequest Request() => new() { FhirServer = Base, HookInstance = Guid.NewGuid().ToString() };

    private static FhirServerQueryRunner Runner(PagingServer server, int maxResourcesPerQuery, int maxResourcesPerCall = int.MaxValue) =>
        new(() => new FhirClient(new HttpClient(server), TimeProvider.System), new FhirClientLimits(MaxResources: maxResourcesPerQuery),
            maxResourcesPerCall: maxResourcesPerCall);

    /// <summary>A FHIR server in memory: every search answers pages of minimal Observations, each page but the last with a next link.</summary>
    private sealed class PagingServer(int entriesPerPage, int pages) : HttpMessageHandler
    {
        private const string Entry = """{"resource":{"resourceType":"Observation","id":"o","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]}}}""";
        private int _served;
        private CountingStream? _last;

        public int PagesServed => _served;
        public long BytesSent => _last?.Sent ?? 0;
        public long PageBytes { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var page = Interlocked.Increment(ref _served);
            var path = request.RequestUri!.AbsolutePath.Split('/')[^1];
            var next = page % pages == 0 ? "" : "\"link\":[{\"relation\":\"next\",\"url\":\"" + Base + path + "?page=" + (page + 1) + "\"}],";
            var json = """{"resourceType":"Bundle","type":"searchset",""" + next + "\"entry\":[" + string.Join(",", Enumerable.Repeat(Entry, entriesPerPage)) + "]}";
            var bytes = Encoding.UTF8.GetBytes(json);
            PageBytes = bytes.Length;
            _last = new CountingStream(bytes);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(_last, 4096) });
        }
    }

    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public long Sent { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await base.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            Sent += n;
            return n;
        }
    }
}
