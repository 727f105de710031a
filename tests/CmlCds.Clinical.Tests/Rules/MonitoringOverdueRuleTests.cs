using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Clinical.Rules;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;

namespace CmlCds.Clinical.Tests.Rules;

/// <summary>clinical specification §8: 3-monthly before MMR, 6-monthly in MMR, overdue more than 4 weeks past due.</summary>
public class MonitoringOverdueRuleTests
{
    private static MonitoringOverdueFinding? Finding(Chart c) => c.Get<MonitoringOverdueFinding>();

    [Fact]
    public void In_MMR_last_test_4_months_ago_is_not_overdue() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.05m, "2025-01-10").On("2025-05-10")));

    [Fact]
    public void Before_MMR_last_test_5_months_ago_is_overdue()
    {
        var f = Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.5m, "2025-01-10").On("2025-06-10"))!;
        Assert.Equal(3, f.IntervalMonths);
        Assert.False(f.InMmr);
        Assert.Equal(new DateOnly(2025, 4, 10), f.Due);
        Assert.Equal(5, f.MonthsSinceReference);
    }

    [Fact]
    public void Before_MMR_exactly_4_weeks_past_due_is_not_overdue() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.5m, "2025-01-10").On("2025-05-08")));

    [Fact]
    public void Before_MMR_4_weeks_and_a_day_past_due_is_overdue() =>
        Assert.NotNull(Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.5m, "2025-01-10").On("2025-05-09")));

    [Fact]
    public void In_MMR_4_weeks_and_a_day_past_6_months_is_overdue()
    {
        Assert.Null(Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.05m, "2025-01-10").On("2025-08-07")));
        Assert.NotNull(Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.05m, "2025-01-10").On("2025-08-08")));
    }

    [Fact]
    public void After_loss_of_MMR_the_interval_is_back_to_3_months()
    {
        var f = Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.05m, "2024-10-01").WithBcrAbl1(0.3m, "2025-01-10").On("2025-05-20"))!;
        Assert.Equal((3, MonitoringSchedule.AboveMmr), (f.IntervalMonths, f.Schedule));
    }

    [Fact]
    public void Mirror_back_in_MMR_the_6_month_interval_returns() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.3m, "2024-10-01").WithBcrAbl1(0.05m, "2025-01-10").On("2025-05-20")));

    [Fact]
    public void Re_treatment_after_a_TFR_relapse_is_monitored_monthly_until_MMR_returns()
    {
        var chart = Chart.OnImatinibSince("2018-01-01").WithBcrAbl1(0.003m, "2025-01-05").Stopped("2025-01-10")
            .WithBcrAbl1(0.4m, "2025-03-10").Restarted(Tki.Imatinib, "2025-03-20").WithBcrAbl1(0.3m, "2025-04-20").On("2025-06-20");
        var f = Finding(chart)!;
        Assert.Equal((1, MonitoringSchedule.Retreatment), (f.IntervalMonths, f.Schedule));
    }

    [Fact]
    public void Mirror_re_treatment_with_MMR_regained_is_every_3_months()
    {
        var chart = Chart.OnImatinibSince("2018-01-01").WithBcrAbl1(0.003m, "2025-01-05").Stopped("2025-01-10")
            .WithBcrAbl1(0.4m, "2025-03-10").Restarted(Tki.Imatinib, "2025-03-20").WithBcrAbl1(0.05m, "2025-05-20");
        Assert.Null(Finding(chart.On("2025-07-20")));
        Assert.Equal(MonitoringSchedule.AfterRetreatment, Finding(chart.On("2025-09-20"))!.Schedule);
    }

    [Fact]
    public void A_patient_with_an_atypical_transcript_is_monitored_too_every_3_months()
    {
        var f = Finding(Chart.OnImatinibSince("2025-01-01").WithTranscript(Transcript.E1a2).On("2025-06-01"))!;
        Assert.Equal((3, MonitoringSchedule.AtypicalTranscript), (f.IntervalMonths, f.Schedule));
    }

    [Fact]
    public void No_test_since_the_line_started_counts_from_the_start()
    {
        var f = Finding(Chart.OnImatinibSince("2025-01-01").On("2025-06-01"))!;
        Assert.Null(f.LastTest);
        Assert.Equal(new DateOnly(2025, 4, 1), f.Due);
    }

    [Fact]
    public void Not_when_no_TKI_is_active() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2020-01-01").WithBcrAbl1(0.005m, "2024-01-01").Stopped("2024-02-01").On("2025-06-01")));

    [Fact]
    public void A_pending_BCR_ABL1_order_is_reported()
    {
        var f = Finding(Chart.OnImatinibSince("2024-01-01").WithBcrAbl1(0.5m, "2025-01-10").WithPendingOrder(OrderKind.BcrAbl1, 500).On("2025-06-10"))!;
        Assert.NotNull(f.Pending);
    }
}

/// <summary>clinical specification §3, Kinetics: shown at the 3-month milestone when &gt; 10% and a baseline exists.</summary>
public class KineticsTests
{
    [Fact]
    public void Halving_time_from_a_baseline_within_30_days_before_the_line()
    {
        var k = Chart.OnImatinibSince("2025-01-31").AtDay(-12, 61m).AtDay(91, 15m).Response()!.Kinetics!;
        Assert.Equal(103 * Math.Log(2) / Math.Log(61.0 / 15.0), k.HalvingDays!.Value, 6);
        Assert.True(k.Favourable);
    }

    [Fact]
    public void Baseline_31_days_before_is_not_a_baseline() =>
        Assert.Null(Chart.OnImatinibSince("2025-01-31").AtDay(-31, 61m).AtDay(91, 15m).Response()!.Kinetics);

    [Fact]
    public void No_kinetics_at_or_below_10_percent() =>
        Assert.Null(Chart.OnImatinibSince("2025-01-31").AtDay(-12, 61m).AtDay(91, 10m).Response()!.Kinetics);

    [Fact]
    public void Slow_halving_is_not_favourable()
    {
        var k = Chart.OnImatinibSince("2025-01-31").AtDay(-5, 30m).AtDay(100, 20m).Response()!.Kinetics!;
        Assert.False(k.Favourable);
    }

    [Fact]
    public void A_rise_has_no_halving_time() =>
        Assert.Null(Chart.OnImatinibSince("2025-01-31").AtDay(-5, 20m).AtDay(100, 30m).Response()!.Kinetics!.HalvingDays);
}
