using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Tfr;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// BCR::ABL1 kinase domain mutation analysis (clinical specification §4; ELN 2020; Cross 2023; Soverini 2011). Rule ids
/// <c>mutation-analysis.failure</c>, <c>mutation-analysis.loss-of-mmr</c>, <c>mutation-analysis.tfr-no-mmr-regain</c>,
/// <c>mutation-analysis.progression</c>, <c>mutation-analysis.warning</c>, <c>mutation-analysis.nccn-3m-yellow</c>.
/// <para><b>When</b>: the latest %IS is &gt; 0.1% (never at or below) and</para>
/// <list type="bullet">
/// <item>recommend (warning): failure by the guideline in force; loss of MMR (ELN: on its own, Cross 2023; NCCN: with
/// a rise of at least 1 log from the lowest value on the line); accelerated or blast phase; after restarting TKI for
/// a TFR relapse, MMR not regained within 3 months;</item>
/// <item>consider (info): a warning at the 6- or 12-month milestone; under NCCN a 3-month YELLOW.</item>
/// </list>
/// <para><b>Not</b> when a mutation result, or an active or draft mutation-analysis order, is dated on or after the
/// triggering result. Every trigger that applied is named; the strongest sets the indicator.</para>
/// <para>Readings taken: the nadir is the lowest effective %IS on the current line (an undetectable result counts at
/// its scored ceiling); "progression" is a current phase of accelerated or blast.</para>
/// </summary>
public static class MutationAnalysisRule
{
    /// <summary>A rise of at least 1 log from the nadir.</summary>
    public const decimal OneLogRise = 10m;

    /// <summary>After restarting TKI for a TFR relapse, MMR is expected back within this many months (clinical specification §4).</summary>
    public const int MmrRegainMonths = MolecularResponseRule.RetreatmentMmrMonths;

    public static MutationAnalysisFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored, ResponseFinding? response, TfrEpisode? episode = null, Guideline guideline = Guideline.Eln2020)
    {
        if (!patient.HasCmlDiagnosis || patient.HasAtypicalTranscript) return null;
        var latest = response?.Latest ?? (scored.Count > 0 ? scored[^1] : null);
        if (latest is null || latest.EffectivePercent <= ResponseLevels.Row(ResponseLevel.MMR).MaxPercent) return null;
        if (AlreadyAnalysedOrOrdered(patient, latest.Date)) return null;

        var milestone = response?.Milestone is not null ? $" at {ClinicalTime.FormatMonths(response.MonthsOnTki)} months" : "";
        var onLine = response?.LineResults ?? [latest];
        var triggers = new List<(ActionStrength Strength, string RuleId, string Reason, IReadOnlyList<ScoredResult> Evidence)>();

        if (response?.Category == ResponseCategory.Failure)
            triggers.Add((ActionStrength.Recommend, "mutation-analysis.failure", $"treatment failure{milestone}", [latest]));

        if (response is not null && response.RuleIds.Any(r => r.EndsWith(".loss-of-mmr", StringComparison.Ordinal)))
        {
            // ELN (Cross 2023): test on loss of MMR. NCCN: on loss of MMR with a rise of at least 1 log from the nadir.
            var nadir = onLine.Take(onLine.Count - 1).MinBy(s => s.EffectivePercent);
            if (guideline == Guideline.Eln2020)
                triggers.Add((ActionStrength.Recommend, "mutation-analysis.loss-of-mmr", "loss of MMR", nadir is null ? [latest] : [nadir, latest]));
            else if (nadir is not null && latest.EffectivePercent >= OneLogRise * nadir.EffectivePercent)
                triggers.Add((ActionStrength.Recommend, "mutation-analysis.loss-of-mmr", "loss of MMR with a 1-log rise", [nadir, latest]));
        }

        if (episode is { Relapse: not null, Restart: { } restart } && NoMmrWithin3Months(onLine, restart) is { } late)
            triggers.Add((ActionStrength.Recommend, "mutation-analysis.tfr-no-mmr-regain", "MMR not regained 3 months after restarting TKI", [.. onLine.Where(s => s.Date <= late.Date)]));

        if (patient.CurrentPhase is Phase.Accelerated or Phase.Blast)
            triggers.Add((ActionStrength.Recommend, "mutation-analysis.progression", $"{patient.CurrentPhase.ToString().ToLowerInvariant()} phase", [latest]));

        if (response is { Category: ResponseCategory.Warning, Milestone: Milestone.Month6 or Milestone.Month12 })
            triggers.Add((ActionStrength.Consider, "mutation-analysis.warning", $"warning{milestone}", [latest]));
        else if (guideline == Guideline.Nccn && response is { Milestone: Milestone.Month3, Colour: NccnColour.Yellow })
            triggers.Add((ActionStrength.Consider, "mutation-analysis.nccn-3m-yellow", "NCCN YELLOW at 3 months", [latest]));

        if (triggers.Count == 0) return null;
        var first = triggers.MaxBy(t => t.Strength);
        var evidence = triggers.SelectMany(t => t.Evidence).DistinctBy(e => e.Result.SourceId).OrderBy(e => e.Date).ToList();
        return new MutationAnalysisFinding(first.Strength, latest, first.Reason, evidence, response?.Line)
        {
            RuleIds = triggers.Select(t => t.RuleId).Distinct().ToList(),
            Guideline = guideline,
            Reasons = triggers.Select(t => t.Reason).Distinct().ToList(),
        };
    }

    /// <summary>The first result at least 3 months after the restart, when none up to then reached MMR.</summary>
    private static ScoredResult? NoMmrWithin3Months(IReadOnlyList<ScoredResult> onLine, TherapyLine restart)
    {
        var due = restart.Start.AddMonths(MmrRegainMonths);
        var late = onLine.FirstOrDefault(s => s.Date >= due);
        if (late is null) return null;
        return onLine.Any(s => s.Date <= due && s.Level >= ResponseLevel.MMR) ? null : late;
    }

    private static bool AlreadyAnalysedOrOrdered(PatientHistory patient, DateOnly trigger) =>
        patient.Mutations.Any(m => m.Date >= trigger)
        || patient.Orders.Any(o => o.Kind == OrderKind.MutationAnalysis && o.Date >= trigger);

}
