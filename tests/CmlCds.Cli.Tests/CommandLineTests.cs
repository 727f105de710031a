using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CmlCds.Cli.Tests;

/// <summary>The cmlcds program itself, run as a process, as an informaticist would.</summary>
public class CommandLineTests
{
    private static (int Exit, string Output, string Errors) Run(params string[] args)
    {
        var root = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet", ["exec", Path.Combine(root, "cmlcds.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors);
    }

    private static string Sample(string scenario) => Path.Combine(AppContext.BaseDirectory, "samples", $"{scenario}.json");

    [Fact]
    public void Evaluate_prints_a_table_of_the_cards()
    {
        var (exit, output, errors) = Run("evaluate", Sample("t315i-on-imatinib"), "--today", "2026-06-01");
        Assert.True(exit == 0, errors);
        Assert.Contains("critical   therapy-review", output);
        Assert.Contains("T315I on file: imatinib is not effective; consider ponatinib, asciminib (200 mg twice daily for T315I) or transplant", output);
    }

    [Fact]
    public void Validate_passes_a_conformant_sample_with_exit_0()
    {
        var (exit, output, errors) = Run("validate", Sample("t315i-on-imatinib"));
        Assert.True(exit == 0, errors + output);
        Assert.Contains("ok    Observation/", output);
        Assert.Contains("t315i-on-imatinib.json: 8 resources, 7 checked against a profile, 0 not conformant, 0 violations", output);
    }

    [Fact]
    public void Validate_lists_each_violation_with_its_profile_element_and_exits_1()
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Sample("eln-6m-warning")))!;
        var observation = bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).First(r => (string?)r["resourceType"] == "Observation");
        observation["valueQuantity"]!["system"] = "http://example.org/units";
        observation.Remove("subject");
        var path = Path.Combine(Path.GetTempPath(), $"cmlcds-invalid-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, bundle.ToJsonString());
        try
        {
            var (exit, output, _) = Run("validate", path);
            Assert.Equal(1, exit);
            Assert.Contains($"FAIL  Observation/{observation["id"]}  (BCR::ABL1 %IS result)", output);
            Assert.Contains("profile.cardinality  Observation.subject: is missing (at least 1 required)", output);
            Assert.Contains("profile.fixed-value  Observation.value[x]:valueQuantity.system: must be 'http://unitsofmeasure.org', is 'http://example.org/units'", output);
            Assert.Contains("1 not conformant, 2 violations", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Evaluate_json_is_a_CDS_Hooks_response()
    {
        var (exit, output, errors) = Run("evaluate", Sample("eln-6m-warning"), "--format", "json", "--today", "2026-06-01");
        Assert.True(exit == 0, errors);
        var cards = JsonNode.Parse(output)!["cards"]!.AsArray();
        Assert.Equal(["response-warning", "therapy-review", "mutation-analysis"], cards.Select(c => (string)c!["source"]!["topic"]!["code"]!));
    }

    [Fact]
    public void Evaluate_with_NCCN_uses_its_colours()
    {
        var (exit, output, _) = Run("evaluate", Sample("eln-6m-warning"), "--today", "2026-06-01", "--guideline", "Nccn");
        Assert.Equal(0, exit);
        Assert.Contains("(NCCN GREEN)", output);
    }

    [Fact]
    public void An_unknown_format_is_refused_with_a_message()
    {
        var (exit, _, errors) = Run("evaluate", Sample("eln-6m-warning"), "--format", "xml");
        Assert.NotEqual(0, exit);
        Assert.Contains("xml", errors);
    }
}
