using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 17 item 6: what feedback may store is bounded and strictly validated (CDS Hooks 2.0 §Feedback), and the
/// admin analytics endpoint answers a 4xx, never a 500, for any range and any key.
/// </summary>
public sealed class FeedbackLimitTests : IAsyncLifetime
{
    private const string ApiKey = "admin-key-for-limit-tests";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = ApiKey });
    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static JsonObject Overridden(string comment = "seen", string timestamp = "2026-06-01T10:00:00Z") => new()
    {
        ["card"] = Guid.NewGuid().ToString(), ["outcome"] = "overridden", ["outcomeTimestamp"] = timestamp,
        ["overrideReason"] = new JsonObject { ["userComment"] = comment },
    };

    private async Task<(HttpStatusCode Status, string Body)> Post(params JsonObject[] items) =>
        await PostText(new JsonObject { ["feedback"] = new JsonArray(items) }.ToJsonString());

    private async Task<(HttpStatusCode Status, string Body)> PostText(string body)
    {
        using var response = await _host.Client.PostAsync("/cds-services/cml-monitoring/feedback", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_userComment_of_4000_characters_is_stored_and_4001_is_400()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post(Overridden(new string('c', FeedbackValidator.MaxCommentLength)))).Status);
        var (status, body) = await Post(Overridden(new string('c', FeedbackValidator.MaxCommentLength + 1)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("userComment is 4001 characters; at most 4000", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_five_megabyte_userComment_is_400_and_nothing_is_stored()
    {
        var (status, body) = await Post(Overridden(new string('c', 5_000_000)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("nothing was stored", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_most_100_items_per_request()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post(Enumerable.Range(0, FeedbackValidator.MaxItems).Select(_ => Overridden()).ToArray())).Status);
        var (status, body) = await Post(Enumerable.Range(0, FeedbackValidator.MaxItems + 1).Select(_ => Overridden()).ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 100 per request", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_members_are_400_and_extension_is_accepted()
    {
        var unknown = Overridden();
        unknown["padding"] = new string('p', 1000);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(unknown)).Status);
        var top = new JsonObject { ["feedback"] = new JsonArray(Overridden()), ["junk"] = 1 };
        Assert.Equal(HttpStatusCode.BadRequest, (await PostText(top.ToJsonString())).Status);
        var extended = Overridden();
        extended["extension"] = new JsonObject { ["com.example.note"] = "x" };
        Assert.Equal(HttpStatusCode.OK, (await Post(extended)).Status);
    }

    [Theory]
    [InlineData("2026-06-01T10:00:00.12345678901234567890Z")]
    [InlineData("2026-06-01T10:00:00Z\n")]
    [InlineData("2026-06-01t10:00:00Z")]
    [InlineData("2026-06-01T10:00:00z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData(" 2026-06-01T10:00:00Z")]
    [InlineData("2026-06-01T10:00:00+1:00")]
    public void Timestamps_that_are_not_strict_RFC_3339_in_a_real_year_are_refused(string timestamp) =>
        Assert.False(FeedbackValidator.TryParseTimestamp(timestamp, out _));

    [Theory]
    [InlineData("2026-06-01T10:00:00Z")]
    [InlineData("2026-06-01T10:00:00.123456789+02:00")]
    [InlineData("2026-06-01T10:00:00-05:00")]
    public void Strict_RFC_3339_timestamps_are_accepted(string timestamp) => Assert.True(FeedbackValidator.TryParseTimestamp(timestamp, out _));

    [Fact]
    public async Task A_refused_timestamp_over_HTTP_is_400_naming_the_field()
    {
        var (status, body) = await Post(Overridden(timestamp: "9999-12-31T23:59:59Z"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("feedback[0].outcomeTimestamp", body, StringComparison.Ordinal);
    }

    private async Task<HttpStatusCode> Analytics(string query, string key = ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/analytics" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _host.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("?from=0001-01-01&to=9999-12-31")]
    [InlineData("?from=2026-01-01&to=9999-12-31")]
    [InlineData("?from=0001-01-01&to=2026-01-01")]
    public async Task Analytics_for_a_range_at_the_calendar_edges_is_400_not_500(string query) =>
        Assert.Equal(HttpStatusCode.BadRequest, await Analytics(query));

    [Fact]
    public async Task Analytics_for_the_widest_allowed_range_is_200() =>
        Assert.Equal(HttpStatusCode.OK, await Analytics("?from=2000-01-01&to=2999-12-31"));

    [Fact]
    public async Task Analytics_keys_compare_exactly()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Analytics("", ApiKey + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Analytics("", ApiKey[..^1]));
        // HTTP strips spaces around a header value (RFC 9110 §5.5), so a trailing space is not part of the key sent;
        // the service refuses a configured key with surrounding spaces instead (next test).
        Assert.StartsWith("HTTP/1.1 200", await RawGet($"Authorization: Bearer {ApiKey} \r\n"));
        Assert.StartsWith("HTTP/1.1 401", await RawGet($"Authorization: Bearer  {ApiKey}\r\n"));
    }

    [Theory]
    [InlineData("admin-key-for-tests ")]
    [InlineData(" admin-key-for-tests")]
    [InlineData("short")]
    public async Task A_configured_admin_key_with_spaces_or_too_short_refuses_start_up(string key)
    {
        var e = await Assert.ThrowsAsync<StartupRefusedException>(() => TestHost.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = key }));
        Assert.Contains("Admin:ApiKey must be at least 16 characters", e.Message, StringComparison.Ordinal);
    }

    private async Task<string> RawGet(string headers)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_host.BaseAddress.Host, _host.BaseAddress.Port);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /admin/analytics HTTP/1.1\r\nHost: {_host.BaseAddress.Authority}\r\nConnection: close\r\n{headers}\r\n"));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
