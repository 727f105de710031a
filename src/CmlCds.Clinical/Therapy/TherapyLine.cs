namespace CmlCds.Clinical.Therapy;

/// <summary>
/// A line of TKI therapy: consecutive orders of the same TKI (RULES.md §1). Another TKI starts the next line.
/// </summary>
/// <param name="Number">1 for first line, 2 for second...</param>
/// <param name="End">When the line ended, where known: the last order's end, or the start of the next line.</param>
/// <param name="Ended">True when every order of the line is over, or a later line started.</param>
public sealed record TherapyLine(int Number, Tki Drug, DateOnly Start, DateOnly? End, bool Ended, IReadOnlyList<TkiOrder> Orders)
{
    public bool IsActive => !Ended;

    /// <summary>Whether <paramref name="date"/> falls in this line (from its start to its end, when known).</summary>
    public bool Covers(DateOnly date) => date >= Start && (End is null || date <= End);

    public decimal MonthsOn(DateOnly date) => ClinicalTime.MonthsBetween(Start, date);

    public int DaysOn(DateOnly date) => ClinicalTime.DaysBetween(Start, date);
}

public static class TherapyLines
{
    /// <summary>
    /// Orders sorted by start; a run of orders of the same TKI is one line. A line is over when all its orders
    /// are stopped or completed, or when the next line (another TKI) starts: a switch without a stop on the old
    /// order ends the old line the day the new one starts.
    /// </summary>
    /// <remarks>
    /// RULES.md §1 joins consecutive orders of one TKI into one course. An order of the same TKI that starts after
    /// the previous one was <b>stopped</b> (status <c>stopped</c>, with its end date) is not consecutive: it is a
    /// restart, a new line (e.g. resuming TKI after a TFR relapse, RULES.md §7). An order that merely
    /// <c>completed</c> (a prescription that ran out and was renewed) continues the line, whatever the gap, so that
    /// refills never reset the months on TKI. Reading taken because RULES.md is silent on restarts.
    /// </remarks>
    public static IReadOnlyList<TherapyLine> Build(IEnumerable<TkiOrder> orders)
    {
        var sorted = orders.OrderBy(o => o.Start).ThenBy(o => o.SourceId, StringComparer.Ordinal).ToList();
        var lines = new List<TherapyLine>();
        var run = new List<TkiOrder>();
        foreach (var order in sorted)
        {
            if (run.Count > 0 && (run[0].Drug != order.Drug || IsRestart(run, order)))
            {
                lines.Add(Close(lines.Count + 1, run, nextStart: order.Start));
                run = [];
            }
            run.Add(order);
        }
        if (run.Count > 0) lines.Add(Close(lines.Count + 1, run, nextStart: null));
        return lines;
    }

    private static bool IsRestart(List<TkiOrder> run, TkiOrder next) =>
        run.TrueForAll(o => o.Ended) && run[^1] is { Stopped: true, End: { } end } && next.Start > end;

    private static TherapyLine Close(int number, List<TkiOrder> run, DateOnly? nextStart)
    {
        var allEnded = run.TrueForAll(o => o.Ended);
        DateOnly? end = allEnded ? run.Select(o => o.End).Max() : null;
        if (nextStart is { } next && (end is null || end > next)) end = next;
        return new TherapyLine(number, run[0].Drug, run[0].Start, end, allEnded || nextStart is not null, run.ToArray());
    }
}
