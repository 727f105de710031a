using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tfr;

/// <summary>
/// A treatment-free remission attempt (clinical specification §7): a TKI line that ended with an <b>explicit stop</b>
/// (stop date known) after a last result of MR4 or deeper. An order that merely ran its course never starts one.
/// </summary>
/// <param name="PreStop">The last valid result on or before the stop; MR4 or deeper.</param>
/// <param name="AfterStop">Valid results after the stop (and before a restart), oldest first.</param>
/// <param name="Relapse">The first result after the stop above 0.1% (loss of MMR), if any.</param>
/// <param name="Restart">The line that resumed TKI (re-treatment), if any.</param>
public sealed record TfrEpisode(TherapyLine StoppedLine, DateOnly Stop, ScoredResult PreStop, IReadOnlyList<ScoredResult> AfterStop, ScoredResult? Relapse, TherapyLine? Restart)
{
    public bool InTfrNow => Restart is null;

    /// <summary>
    /// The latest TFR attempt: in TFR now (no active TKI, the last line ended with an explicit stop, MR4 or deeper
    /// before it), or the line before the current one when the current line is re-treatment after such a stop.
    /// </summary>
    public static TfrEpisode? Latest(PatientHistory patient, IReadOnlyList<ScoredResult> scored)
    {
        var lines = patient.Lines;
        if (lines.Count == 0) return null;
        var current = patient.CurrentLine;
        var stopped = current is null ? lines[^1] : current.Retreatment && lines.Count >= 2 ? lines[^2] : null;
        if (stopped is not { ExplicitStop: true, End: { } stop }) return null;
        if (current is not null && current.Start <= stop) return null;

        var preStop = scored.LastOrDefault(s => s.Date <= stop);
        if (preStop is null || preStop.Level < ResponseLevel.MR4) return null;
        var after = scored.Where(s => s.Date > stop && (current is null || s.Date < current.Start)).ToList();
        var relapse = after.FirstOrDefault(s => s.EffectivePercent > ResponseLevels.Row(ResponseLevel.MMR).MaxPercent);
        return new TfrEpisode(stopped, stop, preStop, after, relapse, current);
    }

    /// <summary>Every TFR attempt that was followed by re-treatment, oldest first (for the second-attempt note, §6).</summary>
    public static IReadOnlyList<TfrEpisode> Earlier(PatientHistory patient, IReadOnlyList<ScoredResult> scored)
    {
        var episodes = new List<TfrEpisode>();
        foreach (var restart in patient.Lines.Where(l => l.Retreatment && l.Number >= 2))
        {
            var stopped = patient.Lines[restart.Number - 2];
            if (stopped is not { ExplicitStop: true, End: { } stop } || scored.LastOrDefault(s => s.Date <= stop) is not { } preStop) continue;
            var after = scored.Where(s => s.Date > stop && s.Date < restart.Start).ToList();
            var relapse = after.FirstOrDefault(s => s.EffectivePercent > ResponseLevels.Row(ResponseLevel.MMR).MaxPercent);
            episodes.Add(new TfrEpisode(stopped, stop, preStop, after, relapse, restart));
        }
        return episodes;
    }
}
