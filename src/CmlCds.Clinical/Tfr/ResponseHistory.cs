using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Rules;

namespace CmlCds.Clinical.Tfr;

/// <summary>A failure found anywhere in the patient's history, for the TFR "no prior failure / resistance" criterion.</summary>
public sealed record FailureOnRecord(DateOnly Date, string Why);

/// <summary>
/// Replays the response rules over every result of every line, as they would have read at the time: the milestone
/// row by days on that line (with the ELN 3-month confirmation), loss of MMR above 1%, and detected mutations.
/// </summary>
public static class ResponseHistory
{
    public static FailureOnRecord? FirstFailure(PatientHistory patient, IReadOnlyList<ScoredResult> scored, EvaluationSettings settings)
    {
        var mutation = patient.Mutations.FirstOrDefault(m => m.AnyDetected);
        if (mutation is not null)
            return new FailureOnRecord(mutation.Date, $"kinase domain mutation {string.Join(", ", mutation.Mutations)}");
        foreach (var line in patient.Lines)
            if (FailureOn(line, scored, settings) is { } failure) return failure;
        return null;
    }

    /// <summary>The first failure on one line, replaying the tables as they would have read at the time.</summary>
    public static FailureOnRecord? FailureOn(Therapy.TherapyLine line, IReadOnlyList<ScoredResult> scored, EvaluationSettings settings)
    {
        var onLine = new List<ScoredResult>();
        var reachedMmr = false;
        foreach (var r in scored.Where(s => line.Covers(s.Date)))
        {
            onLine.Add(r);
            if (MilestoneWindows.For(line.DaysOn(r.Date)) is { } m)
            {
                var (category, _, row) = MilestoneClassifier.Classify(settings, m, r.EffectivePercent);
                if (category == ResponseCategory.Failure)
                    return new FailureOnRecord(r.Date, $"{r.ShownIs} on {TherapyName(line)}, {row}");
                if (settings.Guideline == Guideline.Eln2020 && m == Milestone.Month3 && MolecularResponseRule.ConfirmingResult(line, onLine) is not null)
                    return new FailureOnRecord(r.Date, $"{r.ShownIs} on {TherapyName(line)}, confirmed above 10% at 3 months");
            }
            if (reachedMmr && r.EffectivePercent > ResponseLevels.Row(ResponseLevel.MR2).MaxPercent)
                return new FailureOnRecord(r.Date, $"{r.ShownIs} on {TherapyName(line)} after MMR (loss of MMR above 1%)");
            reachedMmr |= r.Level >= ResponseLevel.MMR;
        }
        return null;
    }

    private static string TherapyName(Therapy.TherapyLine line) => Therapy.TkiNames.Name(line.Drug);
}
