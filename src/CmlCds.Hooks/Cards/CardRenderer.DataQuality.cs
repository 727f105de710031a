using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    private Card DataQuality(DataQualityFinding f)
    {
        var setAside = f.Notes.Count(n => n.SetAside);
        var caveats = f.Notes.Count - setAside;
        var parts = new List<string>();
        if (setAside > 0) parts.Add($"{setAside} set aside");
        if (caveats > 0) parts.Add($"{caveats} with caveats");
        var meanings = string.Join(", ", f.Notes.Select(Meaning).Distinct());
        var summary = f.LatestResultSetAside is { Date: { } latest }
            ? $"Latest BCR::ABL1 result ({Date(latest)}) set aside: {Meaning(f.LatestResultSetAside)}"
            : $"Data quality: {string.Join(", ", parts)} ({meanings})";

        var sb = new StringBuilder();
        sb.Append("Some chart data could not be used as it stands. Nothing here changed a recommendation silently: set-aside data was left out of the rules; data used with caveats is marked.\n\n");
        Markdown.Table(sb, ["Resource", "Date", "Code", "What", "Used"],
            f.Notes.Select(n => (IReadOnlyList<string>)
            [
                n.SourceId ?? "—",
                n.Date is { } d ? Date(d) : "—",
                $"`{n.Code}`",
                n.Message,
                n.SetAside ? "no" : "with caveat",
            ]));
        sb.Append("Reading rules: CML CDS RULES.md §1 (International Scale, units, status, dates); undetectable results scored by control-gene copies per ")
          .Append(Sources.Cross2015Citation).Append('.');

        return NewCard(summary, sb, f.Warning ? Indicator.Warning : Indicator.Info,
            new CardSource { Label = "CML CDS data reading rules", Topic = CardTopics.DataQuality });
    }
}
