using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Therapy;

/// <summary>A time within a line when no order of its TKI covered the patient (an interruption, or a gap between orders).</summary>
/// <param name="From">The day the covering order ended.</param>
/// <param name="To">The day the next order started.</param>
public sealed record TherapyGap(DateOnly From, DateOnly To)
{
    public int Days => ClinicalTime.DaysBetween(From, To);
}

/// <summary>
/// A line of TKI therapy (clinical specification §1): every order of one TKI from its first start, through dose changes,
/// renewals and interruptions that were not a TFR stop. Another TKI starts the next line; so does restarting after a
/// TFR stop (<see cref="Retreatment"/>).
/// </summary>
/// <param name="Number">1 for first line, 2 for second...</param>
/// <param name="End">When the line ended, where known: the explicit stop's end, or the start of the next line.</param>
/// <param name="Ended">Ended by an explicit stop, or a later line started. A line whose last order merely
/// completed is not ended (<see cref="LapsedSince"/>).</param>
public sealed record TherapyLine(int Number, Tki Drug, DateOnly Start, DateOnly? End, bool Ended, IReadOnlyList<TkiOrder> Orders)
{
    /// <summary>Interruptions listed on cards: gaps of more than this many days.</summary>
    public const int ListedInterruptionDays = 14;

    public bool IsActive => !Ended;

    /// <summary>The line ended with an explicit stop (not by a switch to the next line).</summary>
    public bool ExplicitStop { get; init; }

    /// <summary>The line restarted TKI after a TFR stop (§3, §7): first-line milestones do not apply.</summary>
    public bool Retreatment { get; init; }

    /// <summary>Why the previous line was left for this one; <see cref="ChangeReason.Unknown"/> for line 1 and re-treatment.</summary>
    public ChangeReason SwitchReason { get; init; }

    /// <summary>Every gap between the orders of this line, oldest first.</summary>
    public IReadOnlyList<TherapyGap> Gaps { get; init; } = [];

    /// <summary>The gaps of more than <see cref="ListedInterruptionDays"/> days, which cards list.</summary>
    public IReadOnlyList<TherapyGap> Interruptions => Gaps.Where(g => g.Days > ListedInterruptionDays).ToList();

    /// <summary>The line is current but its last order ran its course with no active order since this date.</summary>
    public DateOnly? LapsedSince { get; init; }

    /// <summary>
    /// The dose of the line's latest order (by start; at a tie the one still open), when that order states one. Reading
    /// taken: an unreadable latest dose is not replaced by an older order's dose, which may have been changed since.
    /// </summary>
    public TkiDose? CurrentDose => Orders.OrderBy(o => o.Start).ThenBy(o => !o.Ended).ThenBy(o => o.SourceId, StringComparer.Ordinal).LastOrDefault()?.Dose;

    /// <summary>Whether <paramref name="date"/> falls in this line (from its start to its end, when known).</summary>
    public bool Covers(DateOnly date) => date >= Start && (End is null || date <= End);

    public decimal MonthsOn(DateOnly date) => ClinicalTime.MonthsBetween(Start, date);

    public int DaysOn(DateOnly date) => ClinicalTime.DaysBetween(Start, date);

    /// <summary>
    /// Days actually on this TKI up to <paramref name="today"/>: from the start to the end (or, for a lapsed line, to
    /// the lapse: the safer reading, since taking it after that is unconfirmed), less every gap.
    /// </summary>
    public int ExposureDays(DateOnly today)
    {
        var until = End ?? LapsedSince ?? today;
        if (until > today) until = today;
        var days = ClinicalTime.DaysBetween(Start, until);
        foreach (var g in Gaps)
        {
            var from = g.From < Start ? Start : g.From;
            var to = g.To > until ? until : g.To;
            if (to > from) days -= ClinicalTime.DaysBetween(from, to);
        }
        return Math.Max(0, days);
    }
}

public static class TherapyLines
{
    /// <summary>
    /// Builds the lines from the orders (clinical specification §1), oldest first. <paramref name="scored"/> (the valid
    /// results) tells a TFR stop: an explicit stop after a last result of MR4 or deeper.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Orders sorted by start (ties by their end and status, then id). A run of orders of one TKI is one line:
    /// dose changes, renewals and interruptions stay in it, so months on TKI count from its first start.</item>
    /// <item>Another TKI starts the next line, and ends the previous one the day it starts if it had not ended. The
    /// reason is the stopped order's <c>statusReason</c>, else the new order's <c>reasonCode</c>, else unknown.</item>
    /// <item>The same TKI after a TFR stop, restarted more than <see cref="TherapyLine.ListedInterruptionDays"/> days
    /// later, is re-treatment: a new line. Any other stop and restart of the same TKI is an interruption in the line.
    /// Reading taken where the specification is silent: a restart within 14 days of a stop in MR4 is an interruption,
    /// not a TFR attempt (no TFR relapse can be judged in two weeks).</item>
    /// <item>Only an explicit stop ends a line. A line whose last order completed, with no active order, is still
    /// current (<see cref="TherapyLine.LapsedSince"/>).</item>
    /// </list>
    /// </remarks>
    public static IReadOnlyList<TherapyLine> Build(IEnumerable<TkiOrder> orders, IReadOnlyList<ScoredResult>? scored = null)
    {
        var sorted = orders.OrderBy(o => o.Start).ThenBy(o => o.End ?? DateOnly.MaxValue).ThenBy(o => o.Stopped).ThenBy(o => o.Ended)
            .ThenBy(o => o.Drug).ThenBy(o => o.SourceId, StringComparer.Ordinal).ToList();
        var lines = new List<TherapyLine>();
        var run = new List<TkiOrder>();
        var reason = ChangeReason.Unknown;
        var retreatment = false;
        foreach (var order in sorted)
        {
            if (run.Count > 0)
            {
                var stop = ExplicitStopOf(run);
                var tfrStop = stop is { } s && order.Start > s.AddDays(TherapyLine.ListedInterruptionDays) && IsTfrStop(s, scored);
                if (run[0].Drug != order.Drug || tfrStop)
                {
                    var closed = Close(lines.Count + 1, run, order.Start, reason, retreatment);
                    lines.Add(closed);
                    retreatment = tfrStop;
                    reason = tfrStop ? ChangeReason.Unknown : SwitchReason(run, order);
                    run = [];
                }
            }
            run.Add(order);
        }
        if (run.Count > 0) lines.Add(Close(lines.Count + 1, run, null, reason, retreatment));
        return lines;
    }

    /// <summary>The end date of the run's explicit stop, when its orders are all over and the latest one was stopped.</summary>
    private static DateOnly? ExplicitStopOf(List<TkiOrder> run) =>
        run.TrueForAll(o => o.Ended) && Latest(run) is { Stopped: true } && run.Max(o => o.End) is { } end ? end : null;

    /// <summary>The order that ends last (its end, else its start); at a tie an explicit stop is the one that counts.</summary>
    private static TkiOrder Latest(List<TkiOrder> run) =>
        run.OrderBy(o => o.End ?? o.Start).ThenBy(o => o.Stopped).ThenBy(o => o.SourceId, StringComparer.Ordinal).Last();

    private static bool IsTfrStop(DateOnly stop, IReadOnlyList<ScoredResult>? scored) =>
        scored?.LastOrDefault(s => s.Date <= stop) is { } before && before.Level >= ResponseLevel.MR4;

    private static ChangeReason SwitchReason(List<TkiOrder> previous, TkiOrder next)
    {
        var stopped = previous.Where(o => o.Stopped && o.StopReason != ChangeReason.Unknown).Select(o => o.StopReason).LastOrDefault();
        return stopped != ChangeReason.Unknown ? stopped : next.StartReason;
    }

    private static TherapyLine Close(int number, List<TkiOrder> run, DateOnly? nextStart, ChangeReason reason, bool retreatment)
    {
        var allEnded = run.TrueForAll(o => o.Ended);
        var explicitStop = allEnded && Latest(run).Stopped;
        DateOnly? end = explicitStop ? run.Max(o => o.End) : null;
        DateOnly? lapsed = allEnded && !explicitStop && nextStart is null ? Latest(run).End ?? Latest(run).Start : null;
        if (nextStart is { } next && (end is null || end > next)) end = next;
        return new TherapyLine(number, run[0].Drug, run[0].Start, end, explicitStop || nextStart is not null, run.ToArray())
        {
            ExplicitStop = explicitStop,
            Retreatment = retreatment,
            SwitchReason = reason,
            Gaps = GapsOf(run),
            LapsedSince = lapsed,
        };
    }

    /// <summary>Days between the end of cover by the orders so far and the start of the next order.</summary>
    private static IReadOnlyList<TherapyGap> GapsOf(List<TkiOrder> run)
    {
        var gaps = new List<TherapyGap>();
        DateOnly? coveredUntil = CoverEnd(run[0]);
        var open = coveredUntil is null;
        for (var i = 1; i < run.Count; i++)
        {
            var o = run[i];
            if (!open && coveredUntil is { } until && o.Start > until)
                gaps.Add(new TherapyGap(until, o.Start));
            if (CoverEnd(o) is { } end) { if (!open && (coveredUntil is null || end > coveredUntil)) coveredUntil = end; }
            else open = true;
        }
        return gaps;
    }

    /// <summary>When an order stopped covering the patient: its end when it is over and dated; null (open) otherwise.</summary>
    private static DateOnly? CoverEnd(TkiOrder o) => o.Ended ? o.End : null;
}
