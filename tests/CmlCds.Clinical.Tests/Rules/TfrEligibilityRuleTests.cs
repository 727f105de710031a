using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Tfr;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests.Rules;

/// <summary>Clinical specification §6: eligible under both guidelines, then each single criterion failing.</summary>
public class TfrEligibilityRuleTests
{
    /// <summary>Imatinib since 2018 (8.4 years), MR4 quarterly since 2022-03 (4.2 years), e14a2, born 1968; today 2026-06-01.</summary>
    private static Chart Eligible() => Chart.OnImatinibSince("2018-01-01").Born("1968-04-12").WithTranscript(Transcript.E14a2)
        .WithBcrAbl1(0.8m, "2018-07-01").WithBcrAbl1(0.05m, "2019-01-01")
        .Every(91, "2022-03-01", "2026-05-20", 0.005m).On("2026-06-01");

    private static TfrEligibleFinding? Eln(Chart c) => c.Get<TfrEligibleFinding>();
    private static TfrEligibleFinding? Nccn(Chart c) => c.Evaluate(Guideline.Nccn).Get<TfrEligibleFinding>();

    [Fact]
    public void Eligible_under_ELN()
    {
        var f = Eln(Eligible())!;
        Assert.Equal(["eln2020.tfr-eligibility"], f.RuleIds);
        Assert.DoesNotContain(f.Criteria, c => c.Status == CriterionStatus.NotMet);
        Assert.Contains(f.Criteria, c => c.Criterion == "laboratory" && c.Status == CriterionStatus.ToConfirm);
        Assert.True(f.Qualifying.Count >= 4);
        Assert.Equal(CriterionStatus.Met, f.Criteria.Single(c => c.Criterion == "age").Status);
    }

    [Fact]
    public void Eligible_under_NCCN_with_age_checked()
    {
        var f = Nccn(Eligible())!;
        Assert.Equal(["nccn.tfr-eligibility"], f.RuleIds);
        Assert.Equal(CriterionStatus.Met, f.Criteria.Single(c => c.Criterion == "age").Status);
    }

    [Fact]
    public void TKI_for_2_years_is_not_eligible() =>
        Assert.Null(Eln(Chart.OnImatinibSince("2024-05-01").WithTranscript(Transcript.E14a2).Every(91, "2024-06-01", "2026-05-20", 0.005m).On("2026-06-01")));

    [Fact]
    public void MR4_for_only_18_months_is_not_eligible() =>
        Assert.Null(Eln(Chart.OnImatinibSince("2018-01-01").WithBcrAbl1(0.05m, "2024-10-01").Every(91, "2024-12-01", "2026-05-20", 0.005m).On("2026-06-01")));

    [Fact]
    public void Three_qualifying_tests_are_not_enough()
    {
        // MR4 for 2.2 years, but only 3 results in the run.
        var chart = Chart.OnImatinibSince("2018-01-01").WithBcrAbl1(0.05m, "2024-01-01")
            .WithBcrAbl1(0.005m, "2024-03-01").WithBcrAbl1(0.005m, "2025-03-01").WithBcrAbl1(0.005m, "2026-05-20").On("2026-06-01");
        var depth = CmlEvaluator.Evaluate(chart.History, new EvaluationSettings(), chart.Today);
        Assert.Null(depth.Get<TfrEligibleFinding>());
    }

    [Fact]
    public void Four_qualifying_tests_at_the_same_dates_plus_one_are_eligible()
    {
        var chart = Chart.OnImatinibSince("2018-01-01").WithTranscript(Transcript.E14a2).WithBcrAbl1(0.05m, "2024-01-01")
            .WithBcrAbl1(0.005m, "2024-03-01").WithBcrAbl1(0.005m, "2024-09-01").WithBcrAbl1(0.005m, "2025-03-01").WithBcrAbl1(0.005m, "2026-05-20").On("2026-06-01");
        Assert.NotNull(Eln(chart));
    }

    [Fact]
    public void Tests_closer_than_90_days_count_once()
    {
        var chart = Chart.OnImatinibSince("2018-01-01").WithBcrAbl1(0.05m, "2024-01-01")
            .Every(20, "2024-03-01", "2024-05-25", 0.005m).WithBcrAbl1(0.005m, "2025-03-01").WithBcrAbl1(0.005m, "2026-05-20").On("2026-06-01");
        Assert.Null(Eln(chart));
    }

    [Fact]
    public void A_0_02_percent_result_in_the_window_breaks_the_depth() =>
        Assert.Null(Eln(Eligible().WithBcrAbl1(0.02m, "2025-01-15")));

    [Fact]
    public void An_undetectable_result_with_5000_ABL1_copies_in_the_window_breaks_the_depth()
    {
        var chart = Eligible();
        chart.UndetectableAtDay(Chart.D("2025-01-15").DayNumber - chart.Start.DayNumber, 0.0032m, abl1: 5_000);
        Assert.Null(Eln(chart));
    }

    [Fact]
    public void Accelerated_phase_history_is_never_eligible() => Assert.Null(Eln(Eligible().InPhase(Phase.Accelerated, 10)));

    [Fact]
    public void T315I_on_file_is_never_eligible() => Assert.Null(Eln(Eligible().WithMutation(400, "T315I")));

    [Fact]
    public void A_failure_on_record_is_never_eligible() => Assert.Null(Eln(Eligible().WithBcrAbl1(3.0m, "2019-01-10")));

    [Fact]
    public void Atypical_transcript_is_never_eligible() => Assert.Null(Nccn(Eligible().WithTranscript(Transcript.E1a2)));

    [Fact]
    public void Unknown_transcript_is_to_confirm_under_ELN() =>
        Assert.Equal(CriterionStatus.ToConfirm, Eln(Eligible().WithTranscript(Transcript.Unknown))!.Criteria.Single(c => c.Criterion == "transcript").Status);

    [Fact]
    public void NCCN_eligible_but_not_ELN_with_4_years_of_imatinib()
    {
        var chart = Chart.OnImatinibSince("2022-05-01").Born("1968-04-12").WithTranscript(Transcript.E14a2)
            .Every(91, "2023-06-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.Null(Eln(chart));
        Assert.NotNull(Nccn(chart));
    }

    [Fact]
    public void ELN_shorter_duration_needs_every_line_on_a_second_generation_TKI()
    {
        // 3.5 years of imatinib, then nilotinib after intolerance: 4.3 years in all, not > 5.
        var chart = Chart.OnImatinibSince("2022-02-01").SwitchedTo(Tki.Nilotinib, "2025-08-01", ChangeReason.Intolerance)
            .WithTranscript(Transcript.E13a2).Every(91, "2023-06-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.Null(Eln(chart));
    }

    [Fact]
    public void ELN_needs_only_more_than_4_years_on_nilotinib()
    {
        var chart = Chart.On(Tki.Nilotinib, "2022-03-01").WithTranscript(Transcript.E13a2).Every(91, "2023-06-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.NotNull(Eln(chart));
    }

    [Fact]
    public void NCCN_under_18_is_not_eligible() => Assert.Null(Nccn(Eligible().Born("2008-06-02")));

    [Fact]
    public void ELN_a_14_year_old_gets_no_adult_TFR_card() => Assert.Null(Eln(Eligible().Born("2012-01-15")));

    [Fact]
    public void Mirror_an_18_year_old_who_meets_every_criterion_still_gets_the_card()
    {
        var f = Eln(Eligible().Born("2008-06-01"))!;
        Assert.Equal((CriterionStatus.Met, "18 years"), f.Criteria.Single(c => c.Criterion == "age") is var a ? (a.Status, a.Evidence) : default);
    }

    [Fact]
    public void Undetectable_results_without_copies_make_depth_to_confirm_not_met()
    {
        var chart = Chart.OnImatinibSince("2018-01-01").Born("1968-04-12").WithTranscript(Transcript.E14a2)
            .WithBcrAbl1(0.05m, "2019-01-01").On("2026-06-01");
        for (var d = Chart.D("2022-03-01"); d <= Chart.D("2026-05-20"); d = d.AddDays(91)) chart.UndetectableAtDay(d.DayNumber - chart.Start.DayNumber, 0.0032m);
        var depth = Eln(chart)!.Criteria.Single(c => c.Criterion == "depth");
        Assert.Equal(CriterionStatus.ToConfirm, depth.Status);
        Assert.Contains("sensitivity not reported", depth.Evidence);
    }

    [Fact]
    public void Mirror_the_same_results_with_32000_ABL1_copies_meet_the_depth()
    {
        var chart = Chart.OnImatinibSince("2018-01-01").Born("1968-04-12").WithTranscript(Transcript.E14a2)
            .WithBcrAbl1(0.05m, "2019-01-01").On("2026-06-01");
        for (var d = Chart.D("2022-03-01"); d <= Chart.D("2026-05-20"); d = d.AddDays(91)) chart.UndetectableAtDay(d.DayNumber - chart.Start.DayNumber, 0.0032m, abl1: 32_000);
        Assert.Equal(CriterionStatus.Met, Eln(chart)!.Criteria.Single(c => c.Criterion == "depth").Status);
    }

    [Fact]
    public void A_second_attempt_names_the_first_and_its_relapse_and_counts_only_time_on_TKI()
    {
        // Imatinib 2014-2019, stopped in MR4.5 (TFR), lost MMR 2019-06, restarted 2019-07-01; MR4 since 2022.
        var chart = Chart.OnImatinibSince("2014-01-01").Born("1968-04-12").WithTranscript(Transcript.E14a2)
            .WithBcrAbl1(0.003m, "2018-12-15").Stopped("2019-01-01").WithBcrAbl1(0.3m, "2019-06-01")
            .Restarted(Tki.Imatinib, "2019-07-01").WithBcrAbl1(0.05m, "2019-12-01")
            .Every(91, "2022-03-01", "2026-05-20", 0.005m).On("2026-06-01");
        var f = Eln(chart)!;
        var previous = f.Criteria.Single(c => c.Criterion == "previous attempt");
        Assert.Equal(CriterionStatus.ToConfirm, previous.Status);
        Assert.Contains("stopped on 2019-01-01", previous.Evidence);
        Assert.Contains("loss of MMR on 2019-06-01", previous.Evidence);
        Assert.True(f.TkiYears < ClinicalTime.YearsBetween(Chart.D("2014-01-01"), Chart.D("2026-06-01")));
    }

    [Fact]
    public void ELN_third_line_is_not_eligible()
    {
        var chart = Chart.OnImatinibSince("2016-01-01").SwitchedTo(Tki.Dasatinib, "2017-01-01").SwitchedTo(Tki.Nilotinib, "2018-01-01")
            .WithTranscript(Transcript.E14a2).Every(91, "2022-03-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.Null(Eln(chart));
        // NCCN: the first two lines have no results and no reason for leaving them: no prior resistance is to confirm, not met.
        Assert.Equal(CriterionStatus.ToConfirm, Nccn(chart)!.Criteria.Single(c => c.Criterion == "history").Status);
    }

    [Fact]
    public void NCCN_earlier_lines_left_for_intolerance_show_no_prior_resistance()
    {
        var chart = Chart.OnImatinibSince("2016-01-01").SwitchedTo(Tki.Dasatinib, "2017-01-01", ChangeReason.Intolerance)
            .SwitchedTo(Tki.Nilotinib, "2018-01-01", ChangeReason.Intolerance)
            .WithTranscript(Transcript.E14a2).Every(91, "2022-03-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.Equal(CriterionStatus.Met, Nccn(chart)!.Criteria.Single(c => c.Criterion == "history").Status);
    }

    [Fact]
    public void ELN_second_line_after_intolerance_is_met()
    {
        var chart = Chart.OnImatinibSince("2016-01-01").SwitchedTo(Tki.Dasatinib, "2017-01-01", ChangeReason.Intolerance)
            .WithTranscript(Transcript.E14a2).Every(91, "2022-03-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.Equal(CriterionStatus.Met, Eln(chart)!.Criteria.Single(c => c.Criterion == "history").Status);
    }

    [Fact]
    public void A_switch_for_resistance_is_never_eligible_under_either_guideline()
    {
        var chart = Chart.OnImatinibSince("2016-01-01").SwitchedTo(Tki.Dasatinib, "2017-01-01", ChangeReason.Resistance)
            .WithTranscript(Transcript.E14a2).Every(91, "2022-03-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.Null(Eln(chart));
        Assert.Null(Nccn(chart));
    }

    [Fact]
    public void Dose_changes_of_one_TKI_are_one_line_for_the_history_criterion()
    {
        // Imatinib 400 mg stopped and 600 mg ordered the same day, twice: still first line.
        var chart = Eligible().Interrupted("2019-06-01", "2019-06-01").Interrupted("2021-02-01", "2021-02-01");
        var history = Eln(chart)!.Criteria.Single(c => c.Criterion == "history");
        Assert.Equal((CriterionStatus.Met, "no failure on record; first line"), (history.Status, history.Evidence));
    }

    /// <summary>NCCN: imatinib since 2022-12-01 (3.5 years by the calendar), MR4 quarterly since 2024-01-15.</summary>
    private static Chart NccnThreeAndAHalfYears() => Chart.OnImatinibSince("2022-12-01").Born("1968-04-12").WithTranscript(Transcript.E14a2)
        .WithBcrAbl1(0.5m, "2023-05-01").Every(91, "2024-01-15", "2026-05-20", 0.005m).On("2026-06-01");

    [Fact]
    public void TKI_duration_excludes_an_interruption_off_TKI()
    {
        // Off imatinib for toxicity 2023-06-01 to 2024-01-01 (214 days, in MR2: not a TFR stop): 2.9 years on TKI.
        var chart = NccnThreeAndAHalfYears().Interrupted("2023-06-01", "2024-01-01");
        Assert.Single(chart.History.Lines);
        Assert.Null(Nccn(chart));
    }

    [Fact]
    public void Mirror_without_the_interruption_the_same_chart_meets_3_years() => Assert.NotNull(Nccn(NccnThreeAndAHalfYears()));

    [Fact]
    public void ELN_second_line_is_to_confirm()
    {
        var chart = Chart.OnImatinibSince("2016-01-01").SwitchedTo(Tki.Dasatinib, "2017-01-01")
            .WithTranscript(Transcript.E14a2).Every(91, "2022-03-01", "2026-05-20", 0.005m).On("2026-06-01");
        Assert.Equal(CriterionStatus.ToConfirm, Eln(chart)!.Criteria.Single(c => c.Criterion == "history").Status);
    }

    [Fact]
    public void Not_while_off_TKI() => Assert.Null(Eln(Eligible().Stopped("2026-05-25")));

    [Fact]
    public void A_prescription_that_ran_out_is_not_off_TKI_but_its_unconfirmed_time_is_not_counted()
    {
        var chart = NccnThreeAndAHalfYears().PrescriptionRanOut("2026-03-01");
        Assert.NotNull(chart.History.CurrentLine);
        Assert.Null(chart.Get<TfrMonitoringFinding>());
        // Exposure to the lapse: 3.25 years, still ≥ 3.
        Assert.NotNull(Nccn(chart));
    }

    [Fact]
    public void Mirror_a_prescription_that_ran_out_before_3_years_on_TKI_does_not_meet_the_duration() =>
        // Exposure to the lapse on 2025-11-01: 2.9 years.
        Assert.Null(Nccn(NccnThreeAndAHalfYears().PrescriptionRanOut("2025-11-01")));
}

/// <summary>clinical specification §7: TFR phase, schedule, relapse.</summary>
public class TfrMonitoringRuleTests
{
    /// <summary>MR4.5 on imatinib, stopped 2026-01-20.</summary>
    private static Chart StoppedInMr45() => Chart.OnImatinibSince("2018-01-01").Every(91, "2023-01-01", "2026-01-10", 0.003m).Stopped("2026-01-20");

    [Fact]
    public void In_TFR_at_month_4_with_a_test_due()
    {
        var chart = StoppedInMr45().WithBcrAbl1(0.004m, "2026-02-20").WithBcrAbl1(0.005m, "2026-03-20").WithBcrAbl1(0.003m, "2026-04-20").WithBcrAbl1(0.004m, "2026-05-20").On("2026-06-01");
        var f = chart.Get<TfrMonitoringFinding>()!;
        Assert.Equal(4, f.MonthsSinceStop);
        Assert.Equal(1, f.IntervalMonths);
        Assert.Equal(Chart.D("2026-06-20"), f.Due);
        Assert.False(f.Overdue);
        Assert.Equal(["tfr.monitoring"], f.RuleIds);
    }

    [Fact]
    public void In_TFR_and_overdue_more_than_2_weeks_in_the_monthly_phase()
    {
        var chart = StoppedInMr45().WithBcrAbl1(0.004m, "2026-02-20").On("2026-04-06");
        var f = chart.Get<TfrMonitoringFinding>()!;
        Assert.True(f.Overdue);
        Assert.Contains("tfr.monitoring.overdue", f.RuleIds);
    }

    [Fact]
    public void Exactly_2_weeks_past_due_is_not_yet_overdue() =>
        Assert.False(StoppedInMr45().WithBcrAbl1(0.004m, "2026-02-20").On("2026-04-03").Get<TfrMonitoringFinding>()!.Overdue);

    [Fact]
    public void Months_7_to_12_are_every_2_months_with_4_weeks_grace()
    {
        var chart = StoppedInMr45().WithBcrAbl1(0.004m, "2026-08-25");
        Assert.Equal(2, chart.On("2026-08-30").Get<TfrMonitoringFinding>()!.IntervalMonths);
        Assert.False(chart.On("2026-11-22").Get<TfrMonitoringFinding>()!.Overdue);
        Assert.True(chart.On("2026-11-23").Get<TfrMonitoringFinding>()!.Overdue);
    }

    [Fact]
    public void After_month_12_every_3_months() =>
        Assert.Equal(3, StoppedInMr45().WithBcrAbl1(0.004m, "2027-02-01").On("2027-02-10").Get<TfrMonitoringFinding>()!.IntervalMonths);

    [Fact]
    public void Relapse_with_0_15_percent_at_month_5()
    {
        var chart = StoppedInMr45().WithBcrAbl1(0.004m, "2026-02-20").WithBcrAbl1(0.02m, "2026-04-20").WithBcrAbl1(0.15m, "2026-06-22").On("2026-06-25");
        var f = chart.Get<TfrRelapseFinding>()!;
        Assert.Equal(0.15m, f.Relapse.Result.Percent);
        Assert.Equal(Tki.Imatinib, f.Episode.StoppedLine.Drug);
        Assert.Null(chart.Get<TfrMonitoringFinding>());
    }

    [Fact]
    public void Exactly_0_1_percent_after_the_stop_is_not_a_relapse() =>
        Assert.Null(StoppedInMr45().WithBcrAbl1(0.1m, "2026-03-20").On("2026-04-01").Get<TfrRelapseFinding>());

    [Fact]
    public void Stopping_without_MR4_is_not_TFR()
    {
        var chart = Chart.OnImatinibSince("2018-01-01").WithBcrAbl1(0.05m, "2026-01-10").Stopped("2026-01-20").On("2026-03-01");
        Assert.Null(chart.Get<TfrMonitoringFinding>());
    }

    [Fact]
    public void A_stop_without_an_end_date_is_noted()
    {
        var history = Chart.OnImatinibSince("2018-01-01").WithBcrAbl1(0.005m, "2026-01-10").History;
        var noEnd = new PatientHistory
        {
            Diagnoses = history.Diagnoses, Results = history.Results, BcrAbl1ResultsSeen = 1,
            TkiOrders = [history.TkiOrders[0] with { Ended = true, Stopped = true, End = null }],
        };
        var e = CmlEvaluator.Evaluate(noEnd, new EvaluationSettings(), Chart.D("2026-03-01"));
        Assert.Null(e.Get<TfrMonitoringFinding>());
        Assert.Contains(e.Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.MedicationNoEnd);
    }

    [Fact]
    public void After_a_restart_on_TKI_monitoring_resumes_and_TFR_cards_stop()
    {
        var chart = StoppedInMr45().WithBcrAbl1(0.4m, "2026-04-20").Restarted(Tki.Imatinib, "2026-05-01").On("2026-06-01");
        Assert.Null(chart.Get<TfrRelapseFinding>());
        Assert.Null(chart.Get<TfrMonitoringFinding>());
        Assert.Equal(Chart.D("2026-05-01"), chart.History.CurrentLine!.Start);
    }

    [Fact]
    public void After_a_restart_MMR_not_regained_in_3_months_recommends_mutation_analysis()
    {
        var chart = StoppedInMr45().WithBcrAbl1(0.4m, "2026-04-20").Restarted(Tki.Imatinib, "2026-05-01")
            .WithBcrAbl1(0.3m, "2026-06-15").WithBcrAbl1(0.2m, "2026-08-03").On("2026-08-10");
        var f = chart.Get<MutationAnalysisFinding>()!;
        Assert.Equal(["mutation-analysis.tfr-no-mmr-regain"], f.RuleIds);
    }

    [Fact]
    public void After_a_restart_MMR_regained_within_3_months_gives_no_mutation_analysis() =>
        Assert.Null(StoppedInMr45().WithBcrAbl1(0.4m, "2026-04-20").Restarted(Tki.Imatinib, "2026-05-01")
            .WithBcrAbl1(0.08m, "2026-07-15").WithBcrAbl1(0.2m, "2026-08-03").On("2026-08-10").Get<MutationAnalysisFinding>()?.RuleIds.SingleOrDefault(r => r == "mutation-analysis.tfr-no-mmr-regain"));
}
