using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Milestones;

namespace CmlCds.Clinical.Tests.Rules;

/// <summary>Clinical specification §4: each trigger per guideline, each suppression.</summary>
public class MutationAnalysisRuleTests
{
    private static MutationAnalysisFinding? Finding(Chart c) => c.Get<MutationAnalysisFinding>();

    [Fact]
    public void Failure_recommends_mutation_analysis()
    {
        var f = Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3.2m))!;
        Assert.Equal(ActionStrength.Recommend, f.Strength);
        Assert.Equal(["mutation-analysis.failure"], f.RuleIds);
        Assert.Equal("treatment failure at 12 months", f.Reason);
    }

    [Fact]
    public void Failure_but_a_mutation_result_after_the_trigger_gives_no_card() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3.2m).WithMutation(372)));

    [Fact]
    public void Failure_and_a_mutation_result_the_same_day_gives_no_card() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3.2m).WithMutation(365)));

    [Fact]
    public void Failure_with_a_mutation_result_before_the_trigger_still_recommends() =>
        Assert.NotNull(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(182, 12m).WithMutation(190).AtDay(365, 3.2m)));

    [Fact]
    public void Failure_but_a_pending_order_after_the_trigger_gives_no_card() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3.2m).WithPendingOrder(OrderKind.MutationAnalysis, 366)));

    [Fact]
    public void A_pending_order_from_before_the_trigger_does_not_suppress() =>
        Assert.NotNull(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3.2m).WithPendingOrder(OrderKind.MutationAnalysis, 300)));

    [Fact]
    public void A_pending_BCR_ABL1_order_does_not_suppress() =>
        Assert.NotNull(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3.2m).WithPendingOrder(OrderKind.BcrAbl1, 366)));

    [Fact]
    public void NCCN_loss_of_MMR_with_a_10_fold_rise_from_the_nadir_recommends()
    {
        var f = Chart.OnImatinibSince("2023-01-01").AtDay(365, 0.05m).AtDay(545, 0.02m).AtDay(730, 0.2m).Evaluate(Guideline.Nccn).Get<MutationAnalysisFinding>()!;
        Assert.Equal(ActionStrength.Recommend, f.Strength);
        Assert.Equal("mutation-analysis.loss-of-mmr", f.RuleIds[0]);
    }

    [Fact]
    public void NCCN_loss_of_MMR_with_a_9_fold_rise_only_considers_at_the_12_month_warning()
    {
        var f = Chart.OnImatinibSince("2023-01-01").AtDay(365, 0.05m).AtDay(545, 0.02m).AtDay(730, 0.18m).Evaluate(Guideline.Nccn).Get<MutationAnalysisFinding>();
        Assert.Equal(ActionStrength.Consider, f?.Strength);
        Assert.Equal(["mutation-analysis.warning"], f!.RuleIds);
    }

    [Fact]
    public void ELN_loss_of_MMR_alone_recommends_mutation_analysis_whatever_the_rise()
    {
        // Cross 2023: mutation testing on loss of MMR. A 9-fold rise, which NCCN only considers.
        var f = Finding(Chart.OnImatinibSince("2023-01-01").AtDay(365, 0.05m).AtDay(545, 0.02m).AtDay(730, 0.18m))!;
        Assert.Equal(ActionStrength.Recommend, f.Strength);
        Assert.Equal(["mutation-analysis.loss-of-mmr", "mutation-analysis.warning"], f.RuleIds);
        Assert.Equal("loss of MMR", f.Reason);
    }

    [Fact]
    public void NCCN_3_month_YELLOW_considers_mutation_analysis()
    {
        var f = Chart.OnImatinibSince("2025-01-01").AtDay(91, 15m).Evaluate(Guideline.Nccn).Get<MutationAnalysisFinding>()!;
        Assert.Equal(ActionStrength.Consider, f.Strength);
        Assert.Equal(["mutation-analysis.nccn-3m-yellow"], f.RuleIds);
    }

    [Fact]
    public void Mirror_ELN_3_month_warning_is_not_a_trigger() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(91, 15m)));

    [Fact]
    public void Every_trigger_that_applied_is_named()
    {
        // 3% at 12 months in accelerated phase: failure and progression.
        var f = Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3m).InPhase(Phase.Accelerated, 360))!;
        Assert.Contains("mutation-analysis.progression", f.RuleIds);
        Assert.Equal(f.RuleIds.Count, f.Reasons.Count);
    }

    [Fact]
    public void Accelerated_phase_recommends()
    {
        var f = Finding(Chart.OnImatinibSince("2025-01-01").AtDay(100, 5m).InPhase(Phase.Accelerated, 95))!;
        Assert.Equal(["mutation-analysis.progression"], f.RuleIds);
        Assert.Equal(ActionStrength.Recommend, f.Strength);
    }

    [Fact]
    public void Warning_at_6_months_considers() =>
        Assert.Equal(ActionStrength.Consider, Finding(Chart.OnImatinibSince("2025-01-01").AtDay(182, 4.5m))!.Strength);

    [Fact]
    public void Warning_at_3_months_does_not_trigger() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(91, 15m)));

    [Fact]
    public void Never_when_the_latest_result_is_0_1_percent_even_in_blast_phase() =>
        Assert.Null(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.1m).InPhase(Phase.Blast, 300)));

    [Fact]
    public void At_0_11_percent_in_blast_phase_it_recommends() =>
        Assert.NotNull(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.11m).InPhase(Phase.Blast, 300)));
}
