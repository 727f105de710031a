using CmlCds.Clinical.Evaluation;

namespace CmlCds.Clinical.Milestones;

/// <summary>The row of the guideline in force for a milestone and a %IS: one lookup shared by every rule that needs it.</summary>
public static class MilestoneClassifier
{
    public static (ResponseCategory Category, NccnColour? Colour, string RowText) Classify(EvaluationSettings settings, Milestone m, decimal percent)
    {
        if (settings.Guideline == Guideline.Nccn)
        {
            var row = NccnMilestones.Row(m, percent, settings.Nccn);
            return (NccnMilestones.Category(row.Colour, settings.Nccn), row.Colour,
                $"{MilestoneWindows.Label(m)}, {row.Band}: {NccnMilestones.Name(row.Colour)}" + (row.Note.Length > 0 ? $" ({row.Note})" : ""));
        }
        var eln = Eln2020Milestones.Row(m, percent);
        return (eln.Category, null, $"{MilestoneWindows.Label(m)}, {eln.Band}: {eln.Category.ToString().ToLowerInvariant()}");
    }
}
