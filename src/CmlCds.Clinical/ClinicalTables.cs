using System.Globalization;
using System.Text;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical;

/// <summary>
/// Renders the guideline tables the code runs on as one markdown page (docs/clinical-tables.md) for clinical
/// sign-off. A test compares the committed page with this output, so the page cannot drift from the code.
/// </summary>
public static class ClinicalTables
{
    public static string RenderMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("# Clinical tables (generated)\n\n");
        sb.Append("Rendered from the tables in `src/CmlCds.Clinical` by `ClinicalTables.RenderMarkdown()`; a test fails when this page and the code differ. ")
          .Append("Regenerate with `CMLCDS_UPDATE_GOLDEN=1 dotnet test`, then review the diff.\n\n");

        sb.Append("## Response levels (RULES.md §2; ELN 2020, Cross 2015)\n\n");
        sb.Append("| level | %IS at most | undetectable needs ABL1 copies | or GUSB copies |\n|---|---|---|---|\n");
        foreach (var r in ResponseLevels.Table)
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Label} | {r.MaxPercent}% | {N(r.MinAbl1Copies)} | {N(r.MinGusbCopies)} |\n");
        sb.Append("\nThresholds are inclusive. Log reduction = log10(100 / %IS).\n\n");

        sb.Append("## Milestone in force (RULES.md §3)\n\n| days on the current TKI at the latest result | row |\n|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| < {MilestoneWindows.Month3FromDay} | none (no response card, except loss of MMR or a mutation) |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Month3FromDay}–{MilestoneWindows.Month6FromDay - 1} | {MilestoneWindows.Label(Milestone.Month3)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Month6FromDay}–{MilestoneWindows.Month12FromDay - 1} | {MilestoneWindows.Label(Milestone.Month6)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| ≥ {MilestoneWindows.Month12FromDay} | {MilestoneWindows.Label(Milestone.Month12)} |\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Months on TKI = days / {ClinicalTime.DaysPerMonth}.\n\n");

        sb.Append("## ELN 2020 milestones (default)\n\n| time | %IS | category | note |\n|---|---|---|---|\n");
        foreach (var r in Eln2020Milestones.Table)
            sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Label(r.Milestone)} | {r.Band} | {r.Category.ToString().ToLowerInvariant()} | {r.Note} |\n");
        sb.Append("\nAt any time: loss of MMR on this line → at least warning, > 1% → failure; a kinase-domain mutation found on this line → failure.\n\n");

        sb.Append("## NCCN milestones (selectable; defaults shown)\n\n| time | %IS | colour | category | note |\n|---|---|---|---|---|\n");
        var nccn = new NccnSettings();
        foreach (var r in NccnMilestones.Table(nccn))
            sb.Append(CultureInfo.InvariantCulture, $"| {MilestoneWindows.Label(r.Milestone)} | {r.Band} | {NccnMilestones.Name(r.Colour)} | {NccnMilestones.Category(r.Colour, nccn).ToString().ToLowerInvariant()} | {r.Note} |\n");
        return sb.ToString();
    }

    private static string N(int? n) => n is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "—";
}
