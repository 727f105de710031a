using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Extensions;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>Issue 17 item 7: a request value in a log line is escaped, so it can never write a line of its own.</summary>
public sealed class LogForgingTests
{
    [Theory]
    [InlineData("a\nINFO forged line", "a\\nINFO forged line")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("bidi\u202eevil", "bidi\\u202eevil")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("nul\0", "nul\\u0000")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea")]
    public void Values_are_escaped(string value, string logged) => Assert.Equal(logged, LogValues.Escape(value));

    [Fact]
    public void Long_values_are_cut() =>
        Assert.Equal(new string('x', LogValues.MaxLength) + "...(200 chars)", LogValues.Escape(new string('x', 200)));

    [Fact]
    public async Task A_newline_in_hookInstance_does_not_forge_a_log_line()
    {
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(configure: b => b.Logging.AddProvider(logs));
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
        request["hookInstance"] = "h-1\nInformation CmlCds.Hooks: hook forged service cml-monitoring";
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = logs.Messages.Where(m => m.Contains("hook h-1", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines); // the call line and one line per prefetch key
        Assert.All(lines, line => Assert.Contains("hook h-1\\nInformation CmlCds.Hooks: hook forged", line, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains('\n') && m.Contains("forged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hookInstance_longer_than_256_characters_is_400()
    {
        await using var host = await TestHost.StartAsync();
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
        request["hookInstance"] = new string('h', 257);
        using var response = await host.Client.PostAsync("/cds-services/cml-monitoring", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
