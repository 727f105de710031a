using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>
/// A real FHIR R4 server for integration tests: Medplum's FHIR engine behind our Node wrapper
/// (tests/fhir-server/server.mjs), started on a free port of 127.0.0.1 and stopped after the tests.
/// </summary>
/// <param name="options">Options of server.mjs, e.g. <c>--smart</c> (its SMART authorization double).</param>
public sealed class MedplumFhirServer(params string[] options) : IAsyncLifetime
{
    public static string Directory => Path.Combine(Repo.Root, "tests", "fhir-server");

    public static bool Required => Environment.GetEnvironmentVariable("CMLCDS_REQUIRE_FHIR_SERVER") == "1";

    public static bool Installed => File.Exists(Path.Combine(Directory, "node_modules", "@medplum", "fhir-router", "package.json"));

    /// <summary>
    /// The Node.js it runs on: the one <c>npm ci --prefix tests/fhir-server/node</c> installs (22.23.3, which Medplum 5.2
    /// supports), else <c>node</c> on the PATH.
    /// </summary>
    public static string Node
    {
        get
        {
            var local = Path.Combine(Directory, "node", "node_modules", ".bin", "node");
            return File.Exists(local) ? local : "node";
        }
    }

    /// <summary>Why the tests that need it are skipped here; null when they run (always when required).</summary>
    public static string? SkipReason => Installed || Required ? null
        : "the test FHIR server is not installed: run 'npm ci --prefix tests/fhir-server/node && npm ci --prefix tests/fhir-server' (CI sets CMLCDS_REQUIRE_FHIR_SERVER=1 and installs it)";

    private Process? _process;
    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        if (SkipReason is not null) return;
        if (!Installed) throw new InvalidOperationException("CMLCDS_REQUIRE_FHIR_SERVER=1 but tests/fhir-server/node_modules is missing: run 'npm ci --prefix tests/fhir-server/node && npm ci --prefix tests/fhir-server'.");
        var start = new ProcessStartInfo(Node, ["--experimental-websocket", "server.mjs", "0", .. options])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            throw new InvalidOperationException($"the FHIR server did not start: {line} {await _process.StandardError.ReadToEndAsync()}");
        BaseUrl = new Uri($"http://127.0.0.1:{line["listening ".Length..]}/fhir/");
    }

    /// <summary>Posts a transaction Bundle; throws unless the server accepts it.</summary>
    public async Task TransactAsync(JsonObject bundle)
    {
        using var response = await Client.PostAsync(BaseUrl, new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/fhir+json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"transaction refused: {(int)response.StatusCode} {body}");
    }

    public async Task<JsonObject> GetAsync(string relative) =>
        JsonNode.Parse(await Client.GetStringAsync(new Uri(BaseUrl, relative)))!.AsObject();

    public Task DisposeAsync()
    {
        Client.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>A theory that needs the test FHIR server: skipped with the reason where it is not installed and not required.</summary>
public sealed class FhirServerTheoryAttribute : TheoryAttribute
{
    public FhirServerTheoryAttribute() => Skip = MedplumFhirServer.SkipReason;
}

/// <summary>A fact that needs the test FHIR server: skipped with the reason where it is not installed and not required.</summary>
public sealed class FhirServerFactAttribute : FactAttribute
{
    public FhirServerFactAttribute() => Skip = MedplumFhirServer.SkipReason;
}
