using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;
using CmlCds.Fhir.Tests.Conformance;

namespace CmlCds.Fhir.Tests.Json;

/// <summary>
/// Issue 17 item 4: a FHIR-server page is streamed into the model entry by entry. Whatever the chunking of the bytes,
/// the streamed read gives the resource <see cref="FhirJson.Parse(ReadOnlySpan{byte})"/> gives (every sample bundle,
/// every prefetch Bundle of the goldens, every profile example), refuses what it refuses, and stops at its limits.
/// </summary>
public class StreamingResourceReaderTests
{
    private static readonly StreamingReadLimits Generous = new(16 * 1024 * 1024, 100_000);

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        var root = Path.GetDirectoryName(ProfileFiles.Directory)!;
        foreach (var file in Directory.GetFiles(Path.Combine(root, "samples"), "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, file));
        foreach (var file in ProfileFiles.Examples())
            data.Add(Path.GetRelativePath(root, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Every_sample_and_example_reads_the_same_streamed_in_any_chunking(string relativePath)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(ProfileFiles.Directory)!, relativePath));
        var expected = FhirJson.Serialize(FhirJson.Parse(bytes));
        foreach (var chunk in new[] { 1, 7, 4096, int.MaxValue })
        {
            var streamed = await StreamingResourceReader.ReadAsync(new TrickleStream(bytes, chunk), Generous);
            Assert.Equal(expected, FhirJson.Serialize(streamed));
        }
    }

    [Fact]
    public async Task Every_prefetch_bundle_of_the_goldens_reads_the_same_streamed()
    {
        var root = Path.GetDirectoryName(ProfileFiles.Directory)!;
        var bundles = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(root, "cds-hooks"), "request.json", SearchOption.AllDirectories))
        {
            if (JsonNode.Parse(await File.ReadAllTextAsync(file))?["prefetch"] is not JsonObject prefetch) continue;
            foreach (var (_, value) in prefetch)
            {
                if (value is not JsonObject resource) continue;
                var bytes = Encoding.UTF8.GetBytes(resource.ToJsonString());
                var streamed = await StreamingResourceReader.ReadAsync(new TrickleStream(bytes, 13), Generous);
                Assert.Equal(FhirJson.Serialize(FhirJson.Parse(bytes)), FhirJson.Serialize(streamed));
                bundles++;
            }
        }
        Assert.True(bundles > 100, $"only {bundles} prefetch resources found");
    }

    [Theory]
    [InlineData("""{"entry":[{"resource":{"resourceType":"Patient","id":"p"}}],"type":"searchset","resourceType":"Bundle"}""")]
    [InlineData("""{"resourceType":"Bundle","entry":null}""")]
    [InlineData("""{"resourceType":"Bundle","entry":[]}""")]
    [InlineData("""{"resourceType":"Patient","id":"p","birthDate":"1970-01-01"}""")]
    [InlineData("""{"id":"p","resourceType":"Patient"}""")]
    [InlineData("""  {"resourceType":"Bundle","link":[{"relation":"next","url":"http://x/fhir/Observation?page=2"}],"entry":[{"fullUrl":"u","resource":{"resourceType":"Observation","id":"o","status":"final"},"search":{"mode":"match"}}]}  """)]
    public async Task Member_order_and_empty_entries_read_as_the_serializer_reads_them(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var streamed = await StreamingResourceReader.ReadAsync(new TrickleStream(bytes, 3), Generous);
        Assert.Equal(FhirJson.Serialize(FhirJson.Parse(bytes)), FhirJson.Serialize(streamed));
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","entry":[null]}""", "null item")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","code":{"coding":[null]}}}]}""", "'coding'")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation"}}""", "depth")]
    [InlineData("""{"resourceType":"Bundle"}{"resourceType":"Bundle"}""", "followed by more data")]
    [InlineData("""[{"resourceType":"Bundle"}]""", "JSON object")]
    [InlineData("""{"resourceType":"Bundle","entry":{"resource":{}}}""", "must be an array")]
    [InlineData("""{"resourceType":"Bundle","entry":[],"entry":[]}""", "twice")]
    [InlineData("""{"entry":[{"item":{}}],"resourceType":"List"}""", "must be a Bundle")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},]}""", "")]
    public async Task Broken_JSON_is_a_JsonException(string json, string says)
    {
        var e = await Assert.ThrowsAnyAsync<JsonException>(async () =>
            await StreamingResourceReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(json), 5), Generous));
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_truncation_of_a_sample_is_refused_as_the_serializer_refuses_it()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(ProfileFiles.Directory)!, "samples", "eln-12m-failure.json"));
        var random = new Random(17);
        for (var i = 0; i < 200; i++)
        {
            var cut = bytes.AsMemory(0, random.Next(1, bytes.Length - 1)).ToArray();
            var whole = Record(() => FhirJson.Parse(cut));
            var streamed = await RecordAsync(async () => await StreamingResourceReader.ReadAsync(new TrickleStream(cut, random.Next(1, 64)), Generous));
            Assert.Equal(whole, streamed);
        }
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","\uD800":1}""")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","id":"\uDC00"}}]}""")]
    [InlineData("""{"resourceType":"\uD800"}""")]
    public async Task Odd_Unicode_in_names_and_values_is_read_or_refused_as_the_serializer_does(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.Equal(Record(() => FhirJson.Parse(bytes)), await RecordAsync(async () => await StreamingResourceReader.ReadAsync(new TrickleStream(bytes, 4), Generous)));
    }

    [Fact]
    public async Task Random_byte_mutations_of_a_sample_are_read_or_refused_as_the_serializer_does()
    {
        var original = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(ProfileFiles.Directory)!, "samples", "eln-12m-failure.json"));
        byte[] odd = [0xFF, 0xC3, 0xED, 0xA0, 0x80, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', 0];
        var random = new Random(20261201);
        for (var i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
                bytes[random.Next(bytes.Length)] = odd[random.Next(odd.Length)];
            var whole = Record(() => FhirJson.Parse(bytes));
            var streamed = await RecordAsync(async () => await StreamingResourceReader.ReadAsync(new TrickleStream(bytes, random.Next(1, 200)), Generous));
            Assert.True(whole == streamed || (whole == "JsonException") == (streamed == "JsonException") && streamed != "other",
                $"mutation {i}: whole read {Short(whole)}, streamed {Short(streamed)}");
        }
    }

    private static string Short(string s) => s.Length > 80 ? s[..80] : s;

    [Fact]
    public async Task A_page_with_more_entries_than_the_query_may_return_stops_at_the_first_too_many()
    {
        var entries = string.Join(",", Enumerable.Range(0, 40).Select(i => $$$"""{"resource":{"resourceType":"Observation","id":"o{{{i}}}"}}"""));
        var stream = new TrickleStream(Encoding.UTF8.GetBytes($$"""{"resourceType":"Bundle","entry":[{{entries}}]}"""), 64);
        var e = await Assert.ThrowsAsync<StreamingResourceReader.LimitExceededException>(async () =>
            await StreamingResourceReader.ReadAsync(stream, new StreamingReadLimits(1 << 20, 10)));
        Assert.True(e.Entries);
        Assert.True(stream.Position < stream.Length, "the reader went on reading after the limit");

        var ten = string.Join(",", Enumerable.Range(0, 10).Select(i => $$$"""{"resource":{"resourceType":"Observation","id":"o{{{i}}}"}}"""));
        var bundle = (Bundle)await StreamingResourceReader.ReadAsync(
            new TrickleStream(Encoding.UTF8.GetBytes($$"""{"resourceType":"Bundle","entry":[{{ten}}]}"""), 64), new StreamingReadLimits(1 << 20, 10));
        Assert.Equal(10, bundle.Resources().Count());
    }

    [Fact]
    public async Task An_entry_over_the_item_limit_is_refused_before_it_is_all_read()
    {
        var narrative = new string('x', 300_000);
        var json = """{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","id":"o","text":{"status":"generated","div":"<div>""" + narrative
            + """</div>"}}},{"resource":{"resourceType":"Observation","id":"p"}}]}""";
        var stream = new TrickleStream(Encoding.UTF8.GetBytes(json), 8192);
        var e = await Assert.ThrowsAsync<StreamingResourceReader.LimitExceededException>(async () =>
            await StreamingResourceReader.ReadAsync(stream, new StreamingReadLimits(128 * 1024, 100)));
        Assert.False(e.Entries);
        Assert.Contains("131072-byte limit", e.Message, StringComparison.Ordinal);
        Assert.True(stream.Position < 200_000, $"read {stream.Position} bytes of a {json.Length}-byte page for a 128 KiB limit");

        // Within the limit, the same page reads whole.
        var bundle = (Bundle)await StreamingResourceReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(json), 8192), new StreamingReadLimits(1 << 20, 100));
        Assert.Equal(2, bundle.Resources().Count());
    }

    [Fact]
    public async Task A_page_of_many_small_entries_is_read_through_a_window_far_smaller_than_the_page()
    {
        // 2 MB of entries read with a 64 KiB item limit: only possible if entries are let go as they are parsed.
        var entry = """{"resource":{"resourceType":"Observation","id":"o","status":"final","effectiveDateTime":"2026-01-01"}}""";
        var json = """{"resourceType":"Bundle","entry":[""" + string.Join(",", Enumerable.Repeat(entry, 2_000_000 / entry.Length)) + "]}";
        var bundle = (Bundle)await StreamingResourceReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(json), 16384), new StreamingReadLimits(64 * 1024, 100_000));
        Assert.Equal(2_000_000 / entry.Length, bundle.Resources().Count());
    }

    /// <summary>The resource read, as JSON, or "JsonException" (refused as FHIR JSON), or "other: ..." for any other exception.</summary>
    private static string Record(Func<Resource> read)
    {
        try { return FhirJson.Serialize(read()); }
        catch (JsonException) { return "JsonException"; }
        catch (Exception e) { return "other: " + e.GetType().Name + " " + e.Message; }
    }

    private static async Task<string> RecordAsync(Func<Task<Resource>> read)
    {
        try { return FhirJson.Serialize(await read()); }
        catch (JsonException) { return "JsonException"; }
        catch (Exception e) { return "other: " + e.GetType().Name + " " + e.Message; }
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
