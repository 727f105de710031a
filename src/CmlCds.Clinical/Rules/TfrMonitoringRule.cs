using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Tfr;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// After stopping TKI (clinical specification §7; ELN 2020 schedule, used for both guidelines since the clinical specification gives no other).
/// Rule ids <c>tfr.monitoring</c>, <c>tfr.monitoring.overdue</c>, <c>tfr.molecular-relapse</c>.
/// <code>
/// | months since the stop, at the last test | next test after | overdue when later than due + |
/// | 0–5 (months 1–6)                        | 1 month         | 2 weeks                       |
/// | 6–11 (months 7–12)                      | 2 months        | 4 weeks                       |
/// | 12 and after                            | 3 months        | 4 weeks                       |
/// </code>
/// <para><b>When</b>: in TFR now (<see cref="TfrEpisode"/>). <b>Then</b>: any result &gt; 0.1% after the stop →
/// molecular relapse (critical: resume TKI within 4 weeks, test monthly until MMR returns; with pregnancy recorded,
/// no TKI order is suggested: TKIs are withheld in pregnancy, ELN 2020); otherwise the months since the stop and the
/// next test date, a warning when overdue.</para>
/// <para>Readings taken: months since the stop are completed calendar months; with no test since the stop, the first
/// is due one month after it.</para>
/// </summary>
public static class TfrMonitoringRule
{
    public static readonly IReadOnlyList<(int FromMonth, int IntervalMonths, int GraceDays)> Schedule =
    [
        (0, 1, 14),
        (6, 2, 28),
        (12, 3, 28),
    ];

    public static Finding? Evaluate(TfrEpisode? episode, DateOnly today, PregnancyRecord? pregnancy = null)
    {
        if (episode is not { InTfrNow: true }) return null;
        if (episode.Relapse is { } relapse)
            return new TfrRelapseFinding(episode, relapse, pregnancy)
            {
                RuleIds = pregnancy is null ? ["tfr.molecular-relapse"] : ["tfr.molecular-relapse", "tfr.molecular-relapse.pregnancy"],
            };

        var last = episode.AfterStop.Count > 0 ? episode.AfterStop[^1] : null;
        var reference = last?.Date ?? episode.Stop;
        var monthsAtReference = ClinicalTime.CompletedCalendarMonths(episode.Stop, reference);
        var step = Schedule.Last(s => monthsAtReference >= s.FromMonth);
        var due = reference.AddMonths(step.IntervalMonths);
        var overdue = today > due.AddDays(step.GraceDays);
        return new TfrMonitoringFinding(episode, last, due, step.IntervalMonths, overdue, ClinicalTime.CompletedCalendarMonths(episode.Stop, today))
        {
            RuleIds = overdue ? ["tfr.monitoring", "tfr.monitoring.overdue"] : ["tfr.monitoring"],
        };
    }
}
