namespace CmlCds.Clinical.Therapy;

/// <summary>What the dispense records say about adherence to the current TKI.</summary>
public enum AdherenceStatus
{
    /// <summary>No dispense of the current TKI since the line started: adherence is not known, never assumed good.</summary>
    NoDispenseRecords,
    /// <summary>Dispenses exist but none has a readable supply (or the window is empty): not computable, said so.</summary>
    NotComputable,
    /// <summary>The dispense records could not be read, or not in full: not computable, never "no dispense records" or gaps.</summary>
    DispensesUnreadable,
    Computed,
}

/// <summary>
/// Proportion of days covered (PDC) of the current TKI (clinical specification §11).
/// </summary>
/// <param name="WindowStart">First day of the window: the later of the line's start and 180 days before today.</param>
/// <param name="WindowEnd">Today: the window is [start, today), <see cref="WindowDays"/> days.</param>
/// <param name="Dispenses">Dispenses counted: those with a supply whose cover reaches into the window.</param>
/// <param name="Uncounted">Dispenses of the line without a readable supply: not counted.</param>
/// <param name="Gaps">Runs of days in the window no supply covered, oldest first (<see cref="TherapyGap.To"/> is the
/// first day covered again, or today).</param>
/// <param name="UncountedInWindow">Of <paramref name="Uncounted"/>, those handed over inside the window: the PDC is then
/// "at least" <see cref="Percent"/>.</param>
/// <param name="PossiblyCoveredDays">Days of the gaps that hold such a dispense: it may have covered them, so they are
/// neither listed as gaps nor counted towards a concern.</param>
public sealed record AdherenceResult(AdherenceStatus Status, Tki Drug, DateOnly WindowStart, DateOnly WindowEnd, int CoveredDays,
    int Dispenses, int Uncounted, IReadOnlyList<TherapyGap> Gaps, int UncountedInWindow = 0, int PossiblyCoveredDays = 0)
{
    /// <summary>A dispense without a readable supply was handed over inside the window: the PDC is a lower bound.</summary>
    public bool AtLeast => UncountedInWindow > 0;

    /// <summary>The look-back: 180 days (clinical specification §11).</summary>
    public const int WindowDaysMax = 180;

    /// <summary>Below this PDC, in percent, adherence is a concern (Marin 2010: adherence ≤ 90% and lower MMR rates).</summary>
    public const int ConcernBelowPercent = 90;

    public int WindowDays => WindowEnd.DayNumber - WindowStart.DayNumber;

    /// <summary>
    /// PDC in whole percent, rounded down. Reading taken: never rounded up, so 89.9% shows as 89% and a value shown as
    /// 90% is never below the threshold.
    /// </summary>
    public int Percent => WindowDays <= 0 ? 0 : (int)(CoveredDays * 100L / WindowDays);

    /// <summary>PDC below 90% (exactly: covered / window &lt; 0.9), even counting the days of gaps that hold a dispense
    /// without a readable supply as covered (no concern from such a gap alone).</summary>
    public bool Concern => Status == AdherenceStatus.Computed && (CoveredDays + PossiblyCoveredDays) * 100L < (long)ConcernBelowPercent * WindowDays;
}

public static class Adherence
{
    /// <summary>The dispense records could not be read: nothing is computed from the part that was.</summary>
    public static AdherenceResult Unreadable(TherapyLine line, DateOnly today)
    {
        var windowStart = line.Start > today.AddDays(-AdherenceResult.WindowDaysMax) ? line.Start : today.AddDays(-AdherenceResult.WindowDaysMax);
        return new AdherenceResult(AdherenceStatus.DispensesUnreadable, line.Drug, windowStart, today, 0, 0, 0, []);
    }

    /// <summary>
    /// PDC of <paramref name="line"/>'s TKI over the last 180 days of the line (or since its start), from the dispenses
    /// of that TKI handed over on or after the line's start and not after today.
    /// </summary>
    /// <remarks>
    /// Readings taken (clinical specification §11.1):
    /// <list type="bullet">
    /// <item>Dispenses of the TKI handed over on the same day are one supply, the longest of them: two strengths making
    /// up one dose (imatinib 400 + 100 mg), or one dispense recorded twice, are not stacked.</item>
    /// <item>A supply covers its days from its handover, or from the end of the supply before it when that supply is of
    /// the same product (an early refill, carried forward). A change of product (a dose change, say) starts at its
    /// handover: tablets of the old strength left over are not credited.</item>
    /// <item>Cover past today is not counted (capped at the window); supply handed over before the window counts for the
    /// days it reaches into it; a dispense from before the line started does not count, so a re-treatment starts
    /// without credit; a dispense without a readable supply is not counted and is reported as such.</item>
    /// </list>
    /// </remarks>
    public static AdherenceResult Compute(TherapyLine line, IEnumerable<TkiDispense> dispenses, DateOnly today)
    {
        var windowStart = line.Start > today.AddDays(-AdherenceResult.WindowDaysMax) ? line.Start : today.AddDays(-AdherenceResult.WindowDaysMax);
        var ofLine = dispenses.Where(d => d.Drug == line.Drug && d.HandedOver >= line.Start && d.HandedOver <= today)
            .OrderBy(d => d.HandedOver).ThenBy(d => d.SourceId, StringComparer.Ordinal).ToList();
        if (ofLine.Count == 0)
            return new AdherenceResult(AdherenceStatus.NoDispenseRecords, line.Drug, windowStart, today, 0, 0, 0, []);
        // one supply a day: the longest readable one, its product the set of the day's products
        var supplies = ofLine.GroupBy(d => d.HandedOver)
            .Select(day => (Day: day.Key, Days: day.Max(d => d.DaysSupply is > 0 ? d.DaysSupply : null),
                Product: string.Join("+", day.Select(d => d.Product ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
                Unreadable: day.Count(d => d.DaysSupply is not > 0)))
            .ToList();
        var uncounted = supplies.Where(s => s.Days is null).Sum(s => s.Unreadable);
        if (supplies.All(s => s.Days is null) || windowStart >= today)
            return new AdherenceResult(AdherenceStatus.NotComputable, line.Drug, windowStart, today, 0, 0, uncounted, []);

        var covered = 0;
        var counted = 0;
        var gaps = new List<TherapyGap>();
        var cursor = windowStart; // first day of the window not yet accounted for
        var suppliedUntil = DateOnly.MinValue;
        string? product = null;
        foreach (var (day, supply, dayProduct, _) in supplies)
        {
            if (supply is not { } days) continue;
            var from = day < suppliedUntil && dayProduct == product ? suppliedUntil : day;
            var to = from.AddDays(days);
            suppliedUntil = to;
            product = dayProduct;
            var start = from < windowStart ? windowStart : from;
            if (start < cursor) start = cursor; // a new product overlapping the old supply: those days are covered once
            var end = to > today ? today : to;
            if (end <= start) continue;
            counted++;
            if (start > cursor) gaps.Add(new TherapyGap(cursor, start));
            covered += end.DayNumber - start.DayNumber;
            cursor = end;
        }
        if (cursor < today) gaps.Add(new TherapyGap(cursor, today));
        // a dispense without a readable supply inside the window: the gap it falls in may have been covered by it
        var unreadDays = supplies.Where(s => s.Days is null && s.Day >= windowStart && s.Day < today).Select(s => s.Day).ToList();
        var explained = gaps.Where(g => unreadDays.Any(d => d >= g.From && d < g.To)).ToList();
        return new AdherenceResult(AdherenceStatus.Computed, line.Drug, windowStart, today, covered, counted, uncounted,
            gaps.Except(explained).ToList(), supplies.Where(s => s.Days is null && s.Day >= windowStart && s.Day < today).Sum(s => s.Unreadable),
            explained.Sum(g => g.Days));
    }
}
