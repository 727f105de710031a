using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// BCR::ABL1 monitoring on TKI (RULES.md §8; ELN 2020: every 3–6 months). Rule id <c>monitoring-overdue</c>.
/// <code>
/// | MMR reached on the current line | interval | overdue when today is more than |
/// | no                              | 3 months | 4 weeks past last result + interval |
/// | yes                             | 6 months | 4 weeks past last result + interval |
/// </code>
/// <para><b>When</b>: a CML diagnosis, an active TKI line, a typical (or unknown) transcript.</para>
/// <para><b>Then</b>: a warning with the last test date and the due date; when a BCR::ABL1 order placed since the
/// last test is still open, the card says so and suggests no second order.</para>
/// <para>Readings taken: only valid %IS results count as tests (a set-aside non-IS result does not reset the clock,
/// the safer reading); with no result since the line started, the clock runs from the line start; months are
/// calendar months added to the last test date.</para>
/// </summary>
public static class MonitoringOverdueRule
{
    public const string RuleId = "monitoring-overdue";
    public const int BeforeMmrMonths = 3;
    public const int InMmrMonths = 6;
    public const int GraceDays = 28;

    public static MonitoringOverdueFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored, DateOnly today)
    {
        if (!patient.HasCmlDiagnosis || patient.HasAtypicalTranscript || patient.CurrentLine is not { } line) return null;
        var onLine = scored.Where(s => line.Covers(s.Date)).ToList();
        var inMmr = onLine.Exists(s => s.Level >= ResponseLevel.MMR);
        var interval = inMmr ? InMmrMonths : BeforeMmrMonths;
        var last = onLine.LastOrDefault();
        var due = (last?.Date ?? line.Start).AddMonths(interval);
        if (today <= due.AddDays(GraceDays)) return null;
        var reference = last?.Date ?? line.Start;
        var pending = patient.Orders.Where(o => o.Kind == OrderKind.BcrAbl1 && o.Date >= reference).MaxBy(o => o.Date);
        return new MonitoringOverdueFinding(line, last, due, interval, inMmr, today, pending) { RuleIds = [RuleId] };
    }
}
