using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    public const string Cross2015Url = "https://doi.org/10.1038/leu.2015.29";

    /// <summary>Notes listed with their codes in the card's extension, the latest first to go when there are more.</summary>
    private const int MaxExtensionItems = 50;

    /// <summary>
    /// Everything set aside or used with a caveat (clinical specification §1, §9), in words: what it is, when, why, and
    /// whether it was used. At most 10 rows, then how many more; the codes and resource ids go in the card's extension,
    /// not in the text a clinician reads.
    /// </summary>
    private Card DataQuality(DataQualityFinding f)
    {
        var setAside = f.Notes.Count(n => n.SetAside);
        var caveats = f.Notes.Count - setAside;
        var parts = new List<string>();
        if (setAside > 0) parts.Add($"{setAside} set aside");
        if (caveats > 0) parts.Add($"{caveats} with caveats");
        var meanings = f.Notes.Select(Meaning).Distinct().ToList();
        var shownMeanings = string.Join(", ", meanings.Take(3)) + (meanings.Count > 3 ? $" and {meanings.Count - 3} more" : "");
        var summary = f.LatestResultSetAside is { Date: { } latest }
            ? $"Latest BCR::ABL1 result ({Date(latest)}) set aside: {Meaning(f.LatestResultSetAside)}"
            : $"Data quality: {string.Join(", ", parts)} ({shownMeanings})";

        var sb = new StringBuilder();
        sb.Append("Some chart data could not be used as it stands. Nothing here changed a recommendation silently: set-aside data was left out of the rules; data used with caveats is marked.\n\n");
        var rows = f.Notes.Count <= MaxEvidenceRows ? f.Notes : f.Notes.TakeLast(MaxEvidenceRows).ToList();
        Markdown.Table(sb, ["Date", "What", "Why", "Used"],
            rows.Select(n => (IReadOnlyList<string>)
            [
                n.Date is { } d ? Date(d) : "—",
                Kind(n),
                $"{Capitalise(Meaning(n))}: {n.Message}",
                n.SetAside ? "no" : "with caveat",
            ]));
        if (f.Notes.Count > rows.Count)
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"The latest {rows.Count} of {f.Notes.Count} notes; and {f.Notes.Count - rows.Count} more.\n\n");
        sb.Append("Reading rules: CML CDS clinical specification §1 (International Scale, units, status, dates, transcripts, mutation reports, therapy lines); undetectable results scored by control-gene copies.\n\n");
        sb.Append("Source: ").Append(Sources.Cross2015Citation).Append('.');

        return NewCard(summary, sb, f.Warning ? Indicator.Warning : Indicator.Info,
            new CardSource { Label = "Cross 2015; CML CDS reading rules", Url = Cross2015Url, Topic = CardTopics.DataQuality }) with
        {
            Extension = new CardExtension
            {
                DataQuality = f.Notes.TakeLast(MaxExtensionItems).Select(n => new DataQualityItem(n.Code, Codes.DataQualitySystem, n.SourceId, n.Date is { } d ? Date(d) : null, n.SetAside)).ToList(),
                DataQualityNotListed = f.Notes.Count > MaxExtensionItems ? f.Notes.Count - MaxExtensionItems : null,
            },
        };
    }

    /// <summary>What the note is about, in words.</summary>
    private static string Kind(DataQualityNote n)
    {
        if (n.BcrAbl1Result) return "BCR::ABL1 result";
        var type = n.SourceId is { } id && id.IndexOf('/') is > 0 and var slash ? id[..slash] : null;
        return type switch
        {
            "Observation" when n.Code.StartsWith("mut", StringComparison.Ordinal) => "mutation result",
            "Observation" => "observation",
            "MedicationRequest" => "TKI order",
            "MedicationStatement" => "TKI statement",
            "Condition" => "diagnosis",
            "ServiceRequest" => "test order",
            _ => n.Code.StartsWith("prefetch", StringComparison.Ordinal) ? "chart data" : "chart",
        };
    }
}
