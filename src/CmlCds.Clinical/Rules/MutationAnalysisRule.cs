using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Tfr;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// BCR::ABL1 kinase domain mutation analysis (RULES.md §4; ELN 2020; Soverini 2011). Rule ids
/// <c>mutation-analysis.failure</c>, <c>mutation-analysis.loss-of-mmr</c>, <c>mutation-analysis.progression</c>,
/// <c>mutation-analysis.warning</c>.
/// <para><b>When</b>: the latest %IS is &gt; 0.1% (never at or below) and</para>
/// <list type="bullet">
/// <item>recommend (warning): failure by the guideline in force; loss of MMR with a rise of at least 1 log (10-fold)
/// from the lowest value on this line; accelerated or blast phase;</item>
/// <item>consider (info): a warning at the 6- or 12-month milestone.</item>
/// </list>
/// <list type="bullet">
/// <para><b>Not</b> when a mutation result, or an active or draft mutation-analysis order, is dated on or after the
/// triggering result (a same-day analysis was done on that sample).</para>
/// <item>after restarting TKI for a TFR relapse, MMR not regained within 3 months (rule
/// <c>mutation-analysis.tfr-no-mmr-regain</c>): a result at least 3 calendar months after the restart, and none at MMR
/// or deeper from the restart to 3 months after it.</item>
/// </list>
/// <para>Readings taken: the nadir is the lowest effective %IS on the current line (an undetectable result counts at
/// its scored ceiling); "progression" is a current phase (latest dated diagnosis with a phase) of accelerated or blast.</para>
/// </summary>
public static class MutationAnalysisRule
{
    /// <summary>A rise of at least 1 log from the nadir.</summary>
    public const decimal OneLogRise = 10m;

    /// <summary>After restarting TKI for a TFR relapse, MMR is expected back within this many months (RULES.md §4).</summary>
    public const int MmrRegainMonths = 3;

    public static MutationAnalysisFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored, ResponseFinding? response, TfrEpisode? episode = null)
    {
        if (!patient.HasCmlDiagnosis || patient.HasAtypicalTranscript) return null;
        var latest = response?.Latest ?? (scored.Count > 0 ? scored[^1] : null);
        if (latest is null || latest.EffectivePercent <= ResponseLevels.Row(ResponseLevel.MMR).MaxPercent) return null;
        if (AlreadyAnalysedOrOrdered(patient, latest.Date)) return null;

        var milestone = response?.Milestone is not null ? $" at {ClinicalTime.FormatMonths(response.MonthsOnTki)} months" : "";
        var onLine = response?.LineResults ?? [latest];

        if (response?.Category == ResponseCategory.Failure)
            return Finding(ActionStrength.Recommend, "mutation-analysis.failure", $"treatment failure{milestone}", latest, [latest], response);

        if (response is not null && response.RuleIds.Any(r => r.EndsWith(".loss-of-mmr", StringComparison.Ordinal)))
        {
            var nadir = onLine.Take(onLine.Count - 1).MinBy(s => s.EffectivePercent);
            if (nadir is not null && latest.EffectivePercent >= OneLogRise * nadir.EffectivePercent)
                return Finding(ActionStrength.Recommend, "mutation-analysis.loss-of-mmr", "loss of MMR with a 1-log rise", latest, [nadir, latest], response);
        }

        if (episode is { Relapse: not null, Restart: { } restart } && NoMmrWithin3Months(onLine, restart) is { } late)
            return Finding(ActionStrength.Recommend, "mutation-analysis.tfr-no-mmr-regain", "MMR not regained 3 months after restarting TKI", latest, [.. onLine.Where(s => s.Date <= late.Date)], response);

        if (patient.CurrentPhase is Phase.Accelerated or Phase.Blast)
            return Finding(ActionStrength.Recommend, "mutation-analysis.progression", $"{patient.CurrentPhase.ToString().ToLowerInvariant()} phase", latest, [latest], response);

        if (response is { Category: ResponseCategory.Warning, Milestone: Milestone.Month6 or Milestone.Month12 })
            return Finding(ActionStrength.Consider, "mutation-analysis.warning", $"warning{milestone}", latest, [latest], response);

        return null;
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

    private static MutationAnalysisFinding Finding(ActionStrength strength, string ruleId, string reason, ScoredResult trigger,
        IReadOnlyList<ScoredResult> evidence, ResponseFinding? response) =>
        new(strength, trigger, reason, evidence, response?.Line) { RuleIds = [ruleId] };
}
