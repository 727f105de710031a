using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 17 item 1: each request that answered 500 in the adversarial run is a 400 ProblemDetails naming the element,
/// or (clinical data the service can set aside) a 200 with a data-quality note. CDS Hooks requirement ids are cited
/// where the spec speaks (§HTTP Request, "Use of JSON").
/// </summary>
public sealed class BadInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static JsonObject Request(string scenario = "eln-3m-failure-confirmed") =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", scenario, "request.json")))!.AsObject();

    private static JsonObject FirstResource(JsonObject request, string key) =>
        request["prefetch"]![key]!["entry"]![0]!["resource"]!.AsObject();

    private async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> Post(string body)
    {
        using var response = await fixture.Host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, text);
    }

    private async Task Assert400Naming(JsonObject request, string element)
    {
        var (status, body, text) = await Post(request.ToJsonString());
        Assert.True(status == HttpStatusCode.BadRequest, $"HTTP {(int)status}: {text}");
        Assert.Contains(element, (string?)body!["detail"] ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_Bundle_entry_is_400_naming_the_key_and_the_array()
    {
        var request = Request();
        request["prefetch"]!["bcrAbl1"]!["entry"]!.AsArray().Add(null);
        await Assert400Naming(request, "prefetch.bcrAbl1");
        await Assert400Naming(request, "'entry'");
    }

    [Fact]
    public async Task A_null_coding_is_400_naming_coding()
    {
        var request = Request();
        FirstResource(request, "bcrAbl1")["code"]!["coding"]!.AsArray().Insert(0, null);
        await Assert400Naming(request, "'coding'");
    }

    [Fact]
    public async Task A_null_dosageInstruction_is_400()
    {
        var request = Request();
        FirstResource(request, "medicationRequests")["dosageInstruction"]!.AsArray().Add(null);
        await Assert400Naming(request, "'dosageInstruction'");
    }

    [Fact]
    public async Task A_null_stage_is_400()
    {
        var request = Request();
        FirstResource(request, "conditions")["stage"] = new JsonArray(null, new JsonObject());
        await Assert400Naming(request, "'stage'");
    }

    [Fact]
    public async Task Entry_null_is_read_as_no_entries()
    {
        var request = Request();
        request["prefetch"]!["mutations"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["entry"] = null };
        var (status, _, text) = await Post(request.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, text);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff-tail")]
    [InlineData("a\\u0000b")]
    [InlineData("\\u202eevil")]
    [InlineData("p/../../x")]
    [InlineData("p?x=1&y=2#f")]
    public async Task Odd_Unicode_or_URL_characters_in_patientId_are_400_naming_it(string patientId)
    {
        var text = Request().ToJsonString().Replace("\"patientId\":\"eln-3m-failure-confirmed\"", $"\"patientId\":\"{patientId}\"", StringComparison.Ordinal);
        Assert.Contains(patientId, text, StringComparison.Ordinal);
        var (status, body, answer) = await Post(text);
        Assert.True(status == HttpStatusCode.BadRequest, answer);
        Assert.Contains("context.patientId", (string?)body!["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("9999-12-31T23:59:59+14:00")]
    [InlineData("0001-01-01T00:00:00-12:00")]
    public async Task Dates_at_the_calendar_edges_never_reach_the_rules(string date)
    {
        // The baseline result (halving time) and the start of the line (months on TKI) at year 1 or 9999.
        foreach (var (key, member) in new[] { ("bcrAbl1", "effectiveDateTime"), ("medicationRequests", "authoredOn") })
        {
            var request = Request();
            foreach (var entry in request["prefetch"]![key]!["entry"]!.AsArray())
                entry!["resource"]![member] = date;
            if (key == "medicationRequests")
                FirstResource(request, key)["dosageInstruction"]![0]!["timing"]!["repeat"]!["boundsPeriod"]!["start"] = date;
            var (status, body, text) = await Post(request.ToJsonString());
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{key}.{member} = {date}: HTTP {(int)status} {text}");
            if (status == HttpStatusCode.OK) Assert.Contains("data-quality", text, StringComparison.Ordinal);
            else Assert.Contains(member, (string?)body!["detail"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_prefetch_Bundle_of_30000_unrelated_entries_gives_a_response_of_bounded_size()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "67108864" });
        var request = Request("eln-12m-failure");
        var entries = request["prefetch"]!["bcrAbl1"]!["entry"]!.AsArray();
        for (var i = 0; i < 30_000; i++)
            entries.Add(new JsonObject { ["resource"] = new JsonObject
            {
                ["resourceType"] = "Observation", ["id"] = $"u{i}", ["status"] = "final",
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "2345-7" }) },
                ["effectiveDateTime"] = "2026-01-01",
            } });
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(text.Length < 10 * CmlCds.Hooks.Service.ResponseBudget.MaxDetailCharacters, $"{text.Length} characters");
        Assert.Matches(@"The latest 10 of \d+ notes; and \d+ more", text);
        Assert.Contains("response-failure", text, StringComparison.Ordinal); // the clinical cards are all there
    }

    [Fact]
    public async Task Invalid_chunked_transfer_encoding_is_400() =>
        AssertProblem(400, await Raw(fixture.Host, "Transfer-Encoding: chunked\r\n", "zz\r\n{\"hook\":\r\n0\r\n\r\n"));

    [Fact]
    public async Task A_Content_Length_longer_than_the_body_is_400_when_the_rest_never_comes()
    {
        // Kestrel's minimum body data rate, shortened so the test waits 2 s instead of the default grace period.
        await using var host = await TestHost.StartAsync(configure: b => b.WebHost.ConfigureKestrel(k =>
            k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(2))));
        var answer = await Raw(host, "Content-Length: 5000\r\n", "{\"hook\":\"patient-view\"");
        AssertProblem(400, answer);
    }

    private static void AssertProblem(int status, string answer)
    {
        Assert.StartsWith($"HTTP/1.1 {status} ", answer);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
    }

    /// <summary>Sends a POST by hand on a socket (the body as given, however wrong) and reads the answer until the server closes.</summary>
    private static async Task<string> Raw(TestHost host, string headers, string body)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var head = $"POST /cds-services/cml-monitoring HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nContent-Type: application/json\r\nConnection: close\r\n{headers}\r\n";
        using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + body));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        catch (IOException) when (answer.Length > 0)
        {
            // the server resets the connection after answering a request whose body it could not read
        }
        Assert.DoesNotContain("   at ", answer.ToString(), StringComparison.Ordinal);
        return answer.ToString();
    }
}
