using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Rules;

/// <summary>Why the monitoring interval is what it is (clinical specification §8).</summary>
public enum MonitoringSchedule { BeforeMmr, InMmr, AboveMmr, Retreatment, AfterRetreatment, AtypicalTranscript }

/// <summary>
/// BCR::ABL1 monitoring on TKI (clinical specification §8; ELN 2020: every 3–6 months). Rule id <c>monitoring-overdue</c>.
/// <code>
/// | the current line                                   | interval | overdue when today is more than     |
/// | MMR not yet reached                                | 3 months | 4 weeks past last result + interval |
/// | latest result above 0.1% (MMR lost)                | 3 months | 4 weeks past last result + interval |
/// | latest result in MMR                               | 6 months | 4 weeks past last result + interval |
/// | re-treatment after a TFR relapse, MMR not regained | 1 month  | 4 weeks past last result + interval |
/// | re-treatment, MMR regained                         | 3 months | 4 weeks past last result + interval |
/// | atypical transcript (any BCR::ABL1 result counts)  | 3 months | 4 weeks past last result + interval |
/// </code>
/// <para><b>When</b>: a CML diagnosis and an active TKI line. <b>Then</b>: a warning with the last test date and the
/// due date; when a BCR::ABL1 order placed since the last test is still open, the card says so and suggests no
/// second order.</para>
/// <para>Readings taken: for a typical (or unknown) transcript only valid %IS results count as tests (a set-aside
/// result does not reset the clock, the safer reading); with an atypical transcript, any BCR::ABL1 result, IS or
/// not, resets it and the interval is 3 months (no IS level can say MMR); with no result since the line started, the
/// clock runs from the line start; months are calendar months added to the last test date.</para>
/// </summary>
public static class MonitoringOverdueRule
{
    public const string RuleId = "monitoring-overdue";
    public const int BeforeMmrMonths = 3;
    public const int InMmrMonths = 6;
    public const int RetreatmentMonths = 1;
    public const int GraceDays = 28;

    public static MonitoringOverdueFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored, DateOnly today)
    {
        if (!patient.HasCmlDiagnosis || patient.CurrentLine is not { } line) return null;
        var onLine = scored.Where(s => line.Covers(s.Date)).ToList();
        var last = onLine.LastOrDefault();
        DateOnly? lastOther = null;
        MonitoringSchedule schedule;
        if (patient.HasAtypicalTranscript)
        {
            schedule = MonitoringSchedule.AtypicalTranscript;
            lastOther = patient.OtherBcrAbl1Dates.Where(d => line.Covers(d) && (last is null || d > last.Date)).Select(d => (DateOnly?)d).Max();
        }
        else if (line.Retreatment)
            schedule = onLine.Exists(s => s.Level >= ResponseLevel.MMR) ? MonitoringSchedule.AfterRetreatment : MonitoringSchedule.Retreatment;
        else if (last is null || !onLine.Exists(s => s.Level >= ResponseLevel.MMR))
            schedule = MonitoringSchedule.BeforeMmr;
        else
            schedule = last.Level >= ResponseLevel.MMR ? MonitoringSchedule.InMmr : MonitoringSchedule.AboveMmr;

        var interval = schedule switch
        {
            MonitoringSchedule.InMmr => InMmrMonths,
            MonitoringSchedule.Retreatment => RetreatmentMonths,
            _ => BeforeMmrMonths,
        };
        var reference = lastOther ?? last?.Date ?? line.Start;
        var due = reference.AddMonths(interval);
        if (today <= due.AddDays(GraceDays)) return null;
        var pending = patient.Orders.Where(o => o.Kind == OrderKind.BcrAbl1 && o.Date >= reference).MaxBy(o => o.Date);
        return new MonitoringOverdueFinding(line, last, due, interval, schedule == MonitoringSchedule.InMmr, today, pending)
        {
            RuleIds = [RuleId],
            Schedule = schedule,
            LastOtherTest = lastOther,
        };
    }
}
