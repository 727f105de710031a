using System.Text.Json;
using System.Text.RegularExpressions;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Cli;
using CmlCds.Hooks.Json;
using CmlCds.Tests.Shared;

namespace CmlCds.Api.Tests;

/// <summary>
/// Every `cmlcds` command README.md shows, run as written by bash in the repository root, in README's order: the
/// built program instead of `dotnet run --project src/CmlCds.Cli --`, and the addresses of a real FHIR server and of
/// the service (on the real clock, as `dotnet run` has it) on free ports of 127.0.0.1 instead of localhost:8080 and
/// localhost:5080. `load --shift-to-today` then `hook` shows the golden cards on whatever day the test runs.
/// </summary>
public sealed partial class ReadmeCommandTests : IClassFixture<ReadmeCommandTests.Servers>
{
    public sealed class Servers : IAsyncLifetime
    {
        public MedplumFhirServer Fhir { get; } = new();
        public TestHost Service { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Fhir.InitializeAsync();
            if (MedplumFhirServer.SkipReason is not null) return;
            Service = await TestHost.StartAsync(TestHost.WithPagedDeadline(), fixClock: false);
        }

        public async Task DisposeAsync()
        {
            if (Service is not null) await Service.DisposeAsync();
            await Fhir.DisposeAsync();
        }
    }

    private const string Prefix = "dotnet run --project src/CmlCds.Cli --";
    private readonly Servers _servers;
    public ReadmeCommandTests(Servers servers) => _servers = servers;

    /// <summary>README's cmlcds command lines (continuations joined), in order.</summary>
    public static IReadOnlyList<string> Commands()
    {
        return Readme.Text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(l => Spaces().Replace(l, " ")).ToList();
    }

    [FhirServerFact]
    public async Task Every_cmlcds_command_in_README_works_as_written()
    {
        var commands = Commands();
        Assert.Equal(["evaluate", "load", "hook", "validate"], commands.Select(c => c[Prefix.Length..].Trim().Split(' ')[0]).Distinct());
        var fhir = _servers.Fhir.BaseUrl.AbsoluteUri.TrimEnd('/');
        var service = _servers.Service.BaseAddress.AbsoluteUri.TrimEnd('/');
        var goldenTable = Printing.Table(JsonSerializer.Deserialize(
            await File.ReadAllTextAsync(Path.Combine(Repo.Root, "cds-hooks", "t315i-on-imatinib", "response.json")), CdsHooksJson.Response)!);
        var sampleCount = Directory.GetFiles(Path.Combine(Repo.Root, "samples"), "*.json").Length;

        foreach (var command in commands)
        {
            var line = $"dotnet exec '{CmlcdsProcess.Dll}'" + command[Prefix.Length..]
                .Replace("http://localhost:8080/fhir", fhir, StringComparison.Ordinal)
                .Replace("http://localhost:5080", service, StringComparison.Ordinal);
            var r = await CmlcdsProcess.ShellAsync(Repo.Root, line);
            Assert.True(r.Exit == 0 && r.Errors == "", $"{command}\n{r}");
            switch (command[Prefix.Length..].Trim().Split(' ')[0])
            {
                case "evaluate":
                    Assert.Contains("critical   therapy-review    T315I on file", r.Output);
                    break;
                case "load":
                    Assert.Equal(sampleCount, Regex.Matches(r.Output, @"^\[\d+/\d+\] [a-z0-9-]+: \d+ resources, HTTP 200$", RegexOptions.Multiline).Count);
                    break;
                case "hook":
                    // The samples were moved to today, and the service counts from today: README's cards, any day.
                    Assert.Equal(goldenTable, r.Output);
                    var withoutPrefetch = await CmlcdsProcess.ShellAsync(Repo.Root, line.Replace(" --prefetch", "", StringComparison.Ordinal));
                    Assert.True(withoutPrefetch.Exit == 0, withoutPrefetch.ToString());
                    Assert.Equal(goldenTable, withoutPrefetch.Output);
                    break;
                case "validate":
                    Assert.Contains("t315i-on-imatinib.json: 8 resources, 7 checked against a CML CDS profile, 0 not conformant, 0 errors, 0 warnings", r.Output);
                    Assert.DoesNotContain("FAIL", r.Output);
                    break;
            }
        }
    }

    /// <summary>
    /// README's commands that start the test FHIR server on port 8080 (open, and with <c>--smart</c> for the sandbox's
    /// chart launch), each run on a free port instead: it listens, and the SMART one publishes its configuration.
    /// </summary>
    [FhirServerFact]
    public async Task README_starts_the_test_FHIR_server_as_written()
    {
        var readme = File.ReadAllLines(Path.Combine(Repo.Root, "README.md")).Select(l => l.Trim());
        var lines = readme.Where(l => l.StartsWith("tests/fhir-server/node/node_modules/.bin/node ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Equal(["", " --smart"], lines.Select(l => l[(l.IndexOf(" 8080", StringComparison.Ordinal) + " 8080".Length)..]).Order(StringComparer.Ordinal));
        foreach (var line in lines)
        {
            var words = line.Split(' ').Select(w => w == "8080" ? "0" : w).ToArray();
            var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(Repo.Root, words[0]), words[1..])
            {
                WorkingDirectory = Repo.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (!File.Exists(start.FileName)) start.FileName = "node"; // Node from the PATH where tests/fhir-server/node is not installed
            using var process = System.Diagnostics.Process.Start(start)!;
            try
            {
                var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
                Assert.Matches(@"^listening \d+$", first);
                using var http = new HttpClient();
                var baseUrl = $"http://127.0.0.1:{first!["listening ".Length..]}/fhir";
                Assert.Contains("\"fhirVersion\":\"4.0.1\"", await http.GetStringAsync($"{baseUrl}/metadata"));
                using var smart = await http.GetAsync($"{baseUrl}/.well-known/smart-configuration");
                Assert.Equal(line.EndsWith(" --smart", StringComparison.Ordinal), smart.IsSuccessStatusCode);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
