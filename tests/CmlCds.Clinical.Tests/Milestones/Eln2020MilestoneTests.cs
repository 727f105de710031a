using CmlCds.Clinical.Therapy;
using CmlCds.Clinical.Milestones;

namespace CmlCds.Clinical.Tests.Milestones;

/// <summary>ELN 2020 milestones (clinical specification §3): a vignette on each side of every threshold.</summary>
public class Eln2020MilestoneTests
{
    private static ResponseCategory? At(int day, decimal percent) => Chart.OnImatinibSince("2025-01-01").AtDay(day, percent).Category();

    [Fact] public void At_3_months_10_percent_is_optimal() => Assert.Equal(ResponseCategory.Optimal, At(91, 10m));
    [Fact] public void At_3_months_10_1_percent_is_warning() => Assert.Equal(ResponseCategory.Warning, At(91, 10.1m));
    [Fact] public void At_6_months_1_0_percent_is_optimal() => Assert.Equal(ResponseCategory.Optimal, At(182, 1.0m));
    [Fact] public void At_6_months_1_1_percent_is_warning() => Assert.Equal(ResponseCategory.Warning, At(182, 1.1m));
    [Fact] public void At_6_months_10_percent_is_warning() => Assert.Equal(ResponseCategory.Warning, At(182, 10m));
    [Fact] public void At_6_months_10_1_percent_is_failure() => Assert.Equal(ResponseCategory.Failure, At(182, 10.1m));
    [Fact] public void At_12_months_0_1_percent_is_optimal() => Assert.Equal(ResponseCategory.Optimal, At(365, 0.1m));
    [Fact] public void At_12_months_0_11_percent_is_warning() => Assert.Equal(ResponseCategory.Warning, At(365, 0.11m));
    [Fact] public void At_12_months_1_0_percent_is_warning() => Assert.Equal(ResponseCategory.Warning, At(365, 1.0m));
    [Fact] public void At_12_months_1_1_percent_is_failure() => Assert.Equal(ResponseCategory.Failure, At(365, 1.1m));
    [Fact] public void At_5_years_1_1_percent_is_still_failure() => Assert.Equal(ResponseCategory.Failure, At(1826, 1.1m));

    [Fact]
    public void Undetectable_at_12_months_with_too_few_copies_still_counts_as_MMR_optimal() =>
        Assert.Equal(ResponseCategory.Optimal, Chart.OnImatinibSince("2025-01-01").UndetectableAtDay(365, 0.0032m, abl1: 5_000).Category());

    [Fact]
    public void Not_detected_without_copies_at_12_months_is_optimal() =>
        Assert.Equal(ResponseCategory.Optimal, Chart.OnImatinibSince("2025-01-01").NotDetectedAtDay(365).Category());

    [Fact]
    public void Rule_id_and_row_are_reported()
    {
        var r = Chart.OnImatinibSince("2025-01-01").AtDay(365, 3.2m).Response()!;
        Assert.Equal(["eln2020.milestone.12m"], r.RuleIds);
        Assert.Equal("12 months and any time after, > 1%: failure", r.RowText);
    }
}

/// <summary>ELN 2020, 3 months: "> 10% confirmed" — the previous result, 1–3 months earlier and itself at ≥ 70 days, also > 10%.</summary>
public class Eln2020ThreeMonthConfirmationTests
{
    [Fact]
    public void Above_10_percent_confirmed_one_month_later_is_failure()
    {
        var r = Chart.OnImatinibSince("2025-01-01").AtDay(75, 24m).AtDay(120, 18m).Response()!;
        Assert.Equal(ResponseCategory.Failure, r.Category);
        Assert.Contains("eln2020.milestone.3m.confirmed", r.RuleIds);
    }

    [Fact]
    public void Previous_result_at_day_69_does_not_confirm() =>
        Assert.Equal(ResponseCategory.Warning, Chart.OnImatinibSince("2025-01-01").AtDay(69, 24m).AtDay(120, 18m).Category());

    [Fact]
    public void Previous_result_at_day_70_confirms() =>
        Assert.Equal(ResponseCategory.Failure, Chart.OnImatinibSince("2025-01-01").AtDay(70, 24m).AtDay(120, 18m).Category());

    [Fact]
    public void Previous_result_of_exactly_10_percent_does_not_confirm() =>
        Assert.Equal(ResponseCategory.Warning, Chart.OnImatinibSince("2025-01-01").AtDay(75, 10m).AtDay(120, 18m).Category());

    [Fact]
    public void Previous_result_less_than_one_month_earlier_does_not_confirm()
    {
        // 2025-03-20 -> 2025-04-19: 30 days, but not a completed calendar month.
        var chart = Chart.OnImatinibSince("2025-01-01").WithBcrAbl1(24m, "2025-03-20").WithBcrAbl1(18m, "2025-04-19");
        Assert.Equal(ResponseCategory.Warning, chart.Category());
    }

    [Fact]
    public void Previous_result_exactly_one_month_earlier_confirms()
    {
        var chart = Chart.OnImatinibSince("2025-01-01").WithBcrAbl1(24m, "2025-03-20").WithBcrAbl1(18m, "2025-04-20");
        Assert.Equal(ResponseCategory.Failure, chart.Category());
    }

    [Fact]
    public void Baseline_before_the_line_started_does_not_confirm() =>
        Assert.Equal(ResponseCategory.Warning, Chart.OnImatinibSince("2025-01-01").AtDay(-10, 60m).AtDay(91, 18m).Category());
}

/// <summary>ELN 2020 "any time": loss of MMR and resistance mutations raise the category.</summary>
public class Eln2020AnyTimeTests
{
    [Fact]
    public void Loss_of_MMR_at_6_months_raises_optimal_to_warning()
    {
        var r = Chart.OnImatinibSince("2025-01-01").AtDay(91, 0.08m).AtDay(182, 0.5m).Response()!;
        Assert.Equal(ResponseCategory.Warning, r.Category);
        Assert.Contains("eln2020.loss-of-mmr", r.RuleIds);
    }

    [Fact]
    public void Loss_of_MMR_above_1_percent_is_failure() =>
        Assert.Equal(ResponseCategory.Failure, Chart.OnImatinibSince("2025-01-01").AtDay(91, 0.08m).AtDay(182, 1.5m).Category());

    [Fact]
    public void Loss_of_MMR_at_exactly_1_percent_is_warning() =>
        Assert.Equal(ResponseCategory.Warning, Chart.OnImatinibSince("2025-01-01").AtDay(91, 0.08m).AtDay(182, 1.0m).Category());

    [Fact]
    public void Staying_at_0_1_percent_is_not_loss_of_MMR()
    {
        var r = Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.05m).AtDay(455, 0.1m).Response()!;
        Assert.DoesNotContain("eln2020.loss-of-mmr", r.RuleIds);
        Assert.Equal(ResponseCategory.Optimal, r.Category);
    }

    [Fact]
    public void Never_in_MMR_is_not_loss_of_MMR() =>
        Assert.DoesNotContain("eln2020.loss-of-mmr", Chart.OnImatinibSince("2025-01-01").AtDay(91, 0.5m).AtDay(182, 0.6m).Response()!.RuleIds);

    [Fact]
    public void MMR_on_a_line_left_for_intolerance_carries_over_loss_of_MMR_is_a_warning_at_3_months()
    {
        // In MMR on imatinib, switched to nilotinib for intolerance, 0.6% three months later: not "optimal".
        var chart = Chart.OnImatinibSince("2022-01-01").WithBcrAbl1(0.05m, "2023-01-01")
            .SwitchedTo(Tki.Nilotinib, "2024-01-01", ChangeReason.Intolerance).WithBcrAbl1(0.6m, "2024-04-01");
        var r = chart.Response()!;
        Assert.Contains("eln2020.loss-of-mmr", r.RuleIds);
        Assert.Equal(ResponseCategory.Warning, r.Category);
        Assert.Contains("left for intolerance", string.Join(" ", r.Reasons));
    }

    [Fact]
    public void MMR_on_a_line_left_for_an_unrecorded_reason_without_failure_carries_over()
    {
        var chart = Chart.OnImatinibSince("2022-01-01").WithBcrAbl1(0.05m, "2023-01-01")
            .SwitchedTo(Tki.Dasatinib, "2024-01-01").WithBcrAbl1(1.5m, "2024-04-01");
        Assert.Equal(ResponseCategory.Failure, chart.Category());
    }

    [Fact]
    public void Mirror_a_switch_for_resistance_does_not_carry_MMR()
    {
        var chart = Chart.OnImatinibSince("2022-01-01").WithBcrAbl1(0.05m, "2023-01-01")
            .SwitchedTo(Tki.Dasatinib, "2024-01-01", ChangeReason.Resistance).WithBcrAbl1(0.5m, "2024-04-01");
        Assert.DoesNotContain("eln2020.loss-of-mmr", chart.Response()!.RuleIds);
    }

    [Fact]
    public void Mirror_a_line_with_a_failure_on_record_left_for_an_unrecorded_reason_does_not_carry_MMR()
    {
        // 3% at 12 months on imatinib (failure), then MMR, then a switch without a reason.
        var chart = Chart.OnImatinibSince("2021-01-01").WithBcrAbl1(3m, "2022-01-05").WithBcrAbl1(0.05m, "2023-01-01")
            .SwitchedTo(Tki.Dasatinib, "2024-01-01").WithBcrAbl1(0.5m, "2024-04-01");
        Assert.DoesNotContain("eln2020.loss-of-mmr", chart.Response()!.RuleIds);
    }

    [Fact]
    public void A_variant_of_uncertain_significance_on_the_line_is_at_least_a_warning()
    {
        var r = Chart.OnImatinibSince("2025-01-01").AtDay(182, 0.5m).WithMutation(190, "L248V").Response()!;
        Assert.Equal(ResponseCategory.Warning, r.Category);
        Assert.Contains("eln2020.uncertain-variant", r.RuleIds);
    }

    [Fact]
    public void Loss_of_MMR_fires_before_day_70_on_a_new_line()
    {
        var chart = Chart.OnImatinibSince("2025-01-01").AtDay(20, 0.05m).AtDay(50, 0.3m);
        var r = chart.Response()!;
        Assert.Null(r.Milestone);
        Assert.Equal(ResponseCategory.Warning, r.Category);
    }

    [Fact]
    public void Mutation_found_on_this_line_is_failure()
    {
        var r = Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.05m).WithMutation(300, "T315I").Response()!;
        Assert.Equal(ResponseCategory.Failure, r.Category);
        Assert.Contains("eln2020.resistance-mutation", r.RuleIds);
    }

    [Fact]
    public void Mutation_before_this_line_does_not_count() =>
        Assert.Equal(ResponseCategory.Optimal, Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.05m).WithMutation(-30, "Y253H").Category());

    [Fact]
    public void Negative_mutation_analysis_does_not_count() =>
        Assert.Equal(ResponseCategory.Optimal, Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.05m).WithMutation(300).Category());
}
