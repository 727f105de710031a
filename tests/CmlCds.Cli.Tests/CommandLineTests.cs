using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CmlCds.Tests.Shared;

namespace CmlCds.Cli.Tests;

/// <summary>
/// The cmlcds program itself, run as a process from the repository root as README shows it: its output, and for every
/// user mistake one line on stderr saying what is wrong and what to do, exit code 2 (usage) or 1 (failure), no trace.
/// </summary>
public class CommandLineTests
{
    private static Task<CmlcdsProcess.Result> Run(params string[] args) => CmlcdsProcess.RunAsync(SampleTests.Root, args);

    private static string Temp(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cmlcds-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>One line on stderr, nothing on stdout, no .NET exception text.</summary>
    private static void AssertOneLineError(CmlcdsProcess.Result r, int exit, string message)
    {
        Assert.True(r.Exit == exit, r.ToString());
        Assert.Equal("", r.Output);
        var lines = r.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.Contains(message, lines[0]);
        Assert.DoesNotContain("Exception", r.Errors);
        Assert.DoesNotContain("   at ", r.Errors);
    }

    [Fact]
    public async Task Evaluate_prints_a_table_of_the_cards_with_their_suggestions()
    {
        var r = await Run("evaluate", "samples/t315i-on-imatinib.json", "--today", "2026-06-01");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("critical   therapy-review    T315I on file: imatinib is not effective; consider ponatinib, asciminib (200 mg twice daily for T315I) or transplant", r.Output);
        var warning = await Run("evaluate", "samples/eln-6m-warning.json", "--today", "2026-06-01");
        Assert.Matches(@"info +mutation-analysis .*\n +suggests: Order BCR::ABL1 kinase domain mutation analysis", warning.Output);
    }

    [Fact]
    public async Task Validate_passes_every_sample_and_example_with_exit_0()
    {
        var r = await CmlcdsProcess.ShellAsync(SampleTests.Root, $"dotnet exec '{CmlcdsProcess.Dll}' validate samples/*.json fhir-profiles/examples/*.json");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("ok    Observation/", r.Output);
        Assert.DoesNotContain("FAIL", r.Output);
        Assert.Contains("t315i-on-imatinib.json: 8 resources, 7 checked against a CML CDS profile, 0 not conformant, 0 errors, 0 warnings", r.Output);
        var samples = Directory.GetFiles(Path.Combine(SampleTests.Root, "samples"), "*.json").Length + Directory.GetFiles(Path.Combine(SampleTests.Root, "fhir-profiles", "examples"), "*.json").Length;
        Assert.Equal(samples, r.Output.Split('\n').Count(l => l.Contains(" not conformant, 0 errors", StringComparison.Ordinal)));
        Assert.Equal("", r.Errors); // the published snapshots are current: nothing to generate, nothing to say
    }

    /// <summary>A sample's TKI order without <c>intent</c> and with a status that is not a code, an observation without a subject and with a unit system that is not UCUM.</summary>
    private static (string Path, string Order, string Observation) BrokenBundle()
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleTests.Root, "samples", "eln-6m-warning.json")))!;
        var resources = bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).ToList();
        var order = resources.First(r => (string?)r["resourceType"] == "MedicationRequest");
        order.Remove("intent");
        order["status"] = "on-hold-ish";
        var observation = resources.First(r => (string?)r["resourceType"] == "Observation");
        observation["valueQuantity"]!["system"] = "http://example.org/units";
        observation.Remove("subject");
        return (Temp(bundle.ToJsonString()), $"MedicationRequest/{order["id"]}", $"Observation/{observation["id"]}");
    }

    [Fact]
    public async Task Validate_lists_each_issue_with_its_location_severity_and_profile_and_exits_1()
    {
        var (path, order, observation) = BrokenBundle();
        try
        {
            var r = await Run("validate", path);
            Assert.True(r.Exit == 1, r.ToString());
            Assert.Contains($"FAIL  {order}  (TKI order)", r.Output);
            Assert.Matches(@"\n +error +MedicationRequest\.intent: Missing required member: 'intent'  \[TKI order\]\n", r.Output);
            Assert.Matches(@"\n +error +MedicationRequest\.status: Code 'on-hold-ish' does not exist in the value set .*medicationrequest-status.*\[TKI order\]\n", r.Output);
            Assert.Contains($"FAIL  {observation}  (BCR::ABL1 %IS result)", r.Output);
            Assert.Matches(@"\n +error +Observation\.subject: .*\[BCR::ABL1 %IS result\]\n", r.Output);
            Assert.Matches(@"\n +error +Observation\.value\.system: .*http://unitsofmeasure.org.*\[BCR::ABL1 %IS result\]\n", r.Output);
            Assert.Contains("2 not conformant, 4 errors", r.Output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Validate_json_is_one_OperationOutcome_with_every_issue()
    {
        var (path, order, _) = BrokenBundle();
        try
        {
            var r = await Run("validate", path, "--format", "json");
            Assert.True(r.Exit == 1, r.ToString());
            var outcome = JsonNode.Parse(r.Output)!;
            Assert.Equal("OperationOutcome", (string?)outcome["resourceType"]);
            var issues = outcome["issue"]!.AsArray();
            Assert.Equal(4, issues.Count);
            Assert.All(issues, i => Assert.Equal("error", (string?)i!["severity"]));
            var intent = Assert.Single(issues, i => (string?)i!["expression"]![0] == "MedicationRequest.intent");
            Assert.Contains(order, (string?)intent!["diagnostics"]);
            Assert.Contains("http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-request", (string?)intent["diagnostics"]);

            var clean = await Run("validate", "samples/t315i-on-imatinib.json", "--format", "json");
            Assert.True(clean.Exit == 0, clean.ToString());
            Assert.Equal("information", (string?)JsonNode.Parse(clean.Output)!["issue"]![0]!["severity"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The profiles, ValueSets and CodeSystems of fhir-profiles/ in a temporary folder of their own, without snapshots.</summary>
    private static string CopyOfProfilesWithoutSnapshots()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cmlcds-profiles-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(Path.Combine(SampleTests.Root, "fhir-profiles"), "*.json"))
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        return folder;
    }

    [Fact]
    public async Task The_snapshots_command_writes_the_published_package_in_one_go()
    {
        var folder = CopyOfProfilesWithoutSnapshots();
        try
        {
            var r = await Run("snapshots", folder);
            Assert.True(r.Exit == 0, r.ToString());
            var published = Path.Combine(SampleTests.Root, "fhir-profiles", "snapshots");
            var names = Directory.GetFiles(published).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(names, Directory.GetFiles(Path.Combine(folder, "snapshots")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.All(names, n => Assert.True(File.ReadAllText(Path.Combine(published, n!)) == File.ReadAllText(Path.Combine(folder, "snapshots", n!)), $"{n} differs"));
            Assert.Contains($"wrote {names.Count} files", r.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Validate_against_a_profiles_folder_without_snapshots_says_it_generates_them()
    {
        var folder = CopyOfProfilesWithoutSnapshots();
        try
        {
            var r = await Run("validate", "fhir-profiles/examples/MedicationRequest-tki-request-example.json", "--profiles", folder);
            Assert.True(r.Exit == 0, r.ToString());
            Assert.Contains("cmlcds validate: Generating the snapshot of http://cmlcds.org/fhir/StructureDefinition/cml-tki-medication-request", r.Errors);
            Assert.Contains("ok    MedicationRequest/tki-request-example  (TKI order)", r.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Evaluate_json_is_a_CDS_Hooks_response()
    {
        var r = await Run("evaluate", "samples/eln-6m-warning.json", "--format", "json", "--today", "2026-06-01");
        Assert.True(r.Exit == 0, r.ToString());
        var cards = JsonNode.Parse(r.Output)!["cards"]!.AsArray();
        Assert.Equal(["response-warning", "therapy-review", "mutation-analysis"], cards.Select(c => (string)c!["source"]!["topic"]!["code"]!));
    }

    [Fact]
    public async Task Evaluate_with_NCCN_uses_its_colours()
    {
        var r = await Run("evaluate", "samples/eln-6m-warning.json", "--today", "2026-06-01", "--guideline", "Nccn");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("(NCCN GREEN)", r.Output);
    }

    [Theory]
    [InlineData("evaluate", "cmlcds evaluate samples/t315i-on-imatinib.json --today 2026-06-01")]
    [InlineData("validate", "cmlcds validate samples/*.json fhir-profiles/examples/*.json")]
    [InlineData("load", "cmlcds load --fhir http://localhost:8080/fhir --shift-to-today")]
    [InlineData("hook", "--service http://localhost:5080/cds-services/cml-monitoring --prefetch")]
    public async Task Help_of_each_command_shows_examples(string command, string example)
    {
        var r = await Run(command, "--help");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("Examples:", r.Output);
        Assert.Contains(example, r.Output);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error()
    {
        AssertOneLineError(await Run("evaluate", "samples/no-such-patient.json"), 2, "samples/no-such-patient.json: no such file; give the path of a FHIR Bundle");
        AssertOneLineError(await Run("validate", "no-such.json"), 2, "no-such.json: no such file");
    }

    [Fact]
    public async Task A_date_not_written_YYYY_MM_DD_is_a_usage_error()
    {
        AssertOneLineError(await Run("evaluate", "samples/t315i-on-imatinib.json", "--today", "01/06/2026"), 2,
            "cmlcds evaluate: --today must be a date written YYYY-MM-DD, e.g. 2026-06-01, not '01/06/2026'. See 'cmlcds evaluate --help'.");
    }

    [Fact]
    public async Task Truncated_JSON_says_where_and_exits_1()
    {
        var text = File.ReadAllText(Path.Combine(SampleTests.Root, "samples", "t315i-on-imatinib.json"));
        var path = Temp(text[..(text.Length / 2)]);
        try
        {
            var r = await Run("evaluate", path, "--today", "2026-06-01");
            AssertOneLineError(r, 1, $"{Path.GetFileName(path)} is not valid JSON (line ");
            Assert.Contains("is it complete? Export the bundle again.", r.Errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_hook_request_instead_of_a_bundle_is_named_as_such()
    {
        AssertOneLineError(await Run("evaluate", "cds-hooks/eln-6m-warning/request.json"), 1,
            "request.json is a CDS Hooks request, not a FHIR Bundle; give the patient's resources as a Bundle (samples/ holds one per scenario)");
    }

    [Theory]
    [InlineData("{}", "has no 'resourceType', so it is not a FHIR resource; give a Bundle of one patient's resources.")]
    [InlineData("[1, 2]", "is not a FHIR resource (a JSON object with 'resourceType'); give a Bundle of one patient's resources.")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Patient","id":"b"}}]}""",
        "the bundle holds 2 patients (a, b); evaluate one patient's resources at a time.")]
    public async Task Input_that_is_not_one_patients_bundle_is_refused_with_exit_1(string json, string message)
    {
        var path = Temp(json);
        try
        {
            AssertOneLineError(await Run("evaluate", path), 1, message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Usage_errors_name_the_option_and_point_to_help()
    {
        AssertOneLineError(await Run("evaluate", "samples/eln-6m-warning.json", "--format", "xml"), 2, "cmlcds evaluate: --format must be table or json, not 'xml'. See 'cmlcds evaluate --help'.");
        AssertOneLineError(await Run("evaluate", "samples/eln-6m-warning.json", "--guideline", "Eln"), 2, "'Eln'");
        AssertOneLineError(await Run("load", "--fhir", "localhost:8080"), 2,
            "cmlcds load: --fhir must be an absolute http(s) URL, e.g. http://localhost:8080/fhir, not 'localhost:8080'. See 'cmlcds load --help'.");
        AssertOneLineError(await Run("hook", "--fhir", "http://localhost:8080/fhir", "--patient", "p"), 2, "cmlcds hook: Option '--service' is required. See 'cmlcds hook --help'.");
        AssertOneLineError(await Run("load", "--fhir", "http://localhost:8080/fhir", "--samples", "no-such-folder"), 2, "no-such-folder");
        AssertOneLineError(await Run(), 2, "cmlcds: Required command was not provided. See 'cmlcds --help'.");
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_one_line_naming_it()
    {
        var closed = ClosedPort();
        AssertOneLineError(await Run("load", "--fhir", $"http://127.0.0.1:{closed}/fhir"), 1,
            $"cmlcds load: cannot reach the FHIR server (--fhir) at http://127.0.0.1:{closed} (connection refused or host unreachable); is it running, and is the URL right?");
        AssertOneLineError(await Run("hook", "--fhir", $"http://127.0.0.1:{closed}/fhir", "--patient", "p", "--service", $"http://127.0.0.1:{closed}/cds-services/cml-monitoring"), 1,
            $"cmlcds hook: cannot reach the CDS service (--service) at http://127.0.0.1:{closed}");
    }

    /// <summary>A port of 127.0.0.1 that was free a moment ago and has no listener now.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
