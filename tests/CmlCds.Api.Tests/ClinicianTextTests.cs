using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Clinical.Patients;

namespace CmlCds.Api.Tests;

/// <summary>
/// Clinical specification §10 over every golden response: the text a clinician reads (summary, detail, suggestion
/// labels) holds no resource id, no data-quality code, no reference to a file a clinician cannot open, and no other
/// guideline's name (the one exception: a card under NCCN names the ELN 2020 post-stop schedule it borrows). Every
/// detail stays under 4 KB.
/// </summary>
public partial class ClinicianTextTests
{
    private static readonly string ScenarioRoot = Path.Combine(Repo.Root, "cds-hooks");

    public static TheoryData<string> Scenarios() =>
        new(Directory.GetDirectories(ScenarioRoot).Where(d => File.Exists(Path.Combine(d, "response.json"))).Select(Path.GetFileName).Order()!);

    [GeneratedRegex(@"\b(Observation|MedicationRequest|MedicationStatement|MedicationDispense|Condition|ServiceRequest|Patient|Medication)/[A-Za-z0-9\-.]{1,64}")]
    private static partial Regex ResourceId();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Clinician_text_has_no_ids_codes_files_or_the_other_guidelines_name(string scenario)
    {
        var settings = Path.Combine(ScenarioRoot, scenario, "settings.json");
        var nccn = File.Exists(settings) && File.ReadAllText(settings).Contains("Nccn", StringComparison.Ordinal);
        var cards = JsonNode.Parse(File.ReadAllText(Path.Combine(ScenarioRoot, scenario, "response.json")))!["cards"]!.AsArray();
        foreach (var card in cards)
        {
            var topic = (string)card!["source"]!["topic"]!["code"]!;
            var texts = new List<string> { (string)card["summary"]!, (string?)card["detail"] ?? "" };
            texts.AddRange(card["suggestions"]?.AsArray().Select(s => (string)s!["label"]!) ?? []);
            foreach (var text in texts)
            {
                Assert.False(ResourceId().IsMatch(text), $"{scenario} {topic}: resource id '{ResourceId().Match(text).Value}' in clinician text");
                Assert.DoesNotContain("RULES.md", text);
                foreach (var code in DataQualityCodes.Meaning.Keys)
                    Assert.False(text.Contains(code, StringComparison.Ordinal), $"{scenario} {topic}: data-quality code {code} in clinician text");
                if (nccn)
                    Assert.False(Regex.Replace(text, @"schedule: ELN 2020", "").Contains("ELN", StringComparison.Ordinal), $"{scenario} {topic}: ELN named on an NCCN card: {text}");
                else
                    Assert.False(text.Contains("NCCN", StringComparison.Ordinal), $"{scenario} {topic}: NCCN named on an ELN card: {text}");
            }
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(texts[1]) < 4096, $"{scenario} {topic}: detail of {System.Text.Encoding.UTF8.GetByteCount(texts[1])} bytes");
        }
    }
}
