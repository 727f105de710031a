using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests.Rules;

/// <summary>clinical specification §5.</summary>
public class TherapyReviewRuleTests
{
    private static TherapyReviewFinding? Finding(Chart c) => c.Get<TherapyReviewFinding>();

    [Fact]
    public void T315I_on_imatinib_is_critical_naming_ponatinib_asciminib_and_transplant()
    {
        var f = Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.5m).WithMutation(370, "T315I"))!;
        Assert.Equal(ActionStrength.Critical, f.Strength);
        Assert.Equal(["T315I"], f.Mutations);
        Assert.Equal([Tki.Ponatinib, Tki.Asciminib], f.Options);
        Assert.True(f.Transplant);
    }

    [Fact]
    public void T315I_while_on_ponatinib_is_not_critical()
    {
        var f = Finding(Chart.On(Tki.Ponatinib, "2025-01-01").AtDay(365, 0.05m).WithMutation(-30, "T315I"));
        Assert.True(f is null || f.Strength != ActionStrength.Critical);
    }

    [Fact]
    public void T315I_found_years_ago_on_another_line_still_blocks_dasatinib()
    {
        var chart = Chart.OnImatinibSince("2020-01-01").WithMutation(400, "T315I").SwitchedTo(Tki.Dasatinib, "2022-01-01").WithBcrAbl1(0.05m, "2023-01-01");
        Assert.Equal(ActionStrength.Critical, Finding(chart)!.Strength);
    }

    [Fact]
    public void V299L_on_dasatinib_leaves_nilotinib_ponatinib_asciminib() =>
        Assert.Equal([Tki.Nilotinib, Tki.Ponatinib, Tki.Asciminib], Finding(Chart.On(Tki.Dasatinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "V299L"))!.Options);

    [Fact]
    public void F317L_blocks_bosutinib_but_F317V_does_not()
    {
        Assert.Equal(ActionStrength.Critical, Finding(Chart.On(Tki.Bosutinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "F317L"))!.Strength);
        Assert.NotEqual(ActionStrength.Critical, Finding(Chart.On(Tki.Bosutinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "F317V"))!.Strength);
    }

    [Fact]
    public void G250E_on_bosutinib_offers_neither_imatinib_nor_nilotinib() =>
        Assert.Equal([Tki.Dasatinib, Tki.Ponatinib, Tki.Asciminib],
            Finding(Chart.On(Tki.Bosutinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "G250E"))!.Options);

    [Fact]
    public void T315A_on_dasatinib_is_critical()
    {
        var f = Finding(Chart.On(Tki.Dasatinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "T315A"))!;
        Assert.Equal(ActionStrength.Critical, f.Strength);
        Assert.Equal([Tki.Nilotinib, Tki.Bosutinib, Tki.Ponatinib, Tki.Asciminib], f.Options);
        Assert.False(f.Transplant);
    }

    [Fact]
    public void Mirror_T315A_on_nilotinib_is_not_in_the_nilotinib_row() =>
        Assert.NotEqual(ActionStrength.Critical, Finding(Chart.On(Tki.Nilotinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "T315A"))?.Strength);

    [Fact]
    public void Any_known_mutation_rules_out_imatinib_and_imatinib_is_never_an_option()
    {
        var f = Finding(Chart.On(Tki.Imatinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "Y253H"))!;
        Assert.Equal(ActionStrength.Critical, f.Strength);
        Assert.DoesNotContain(Tki.Imatinib, f.Options);
        Assert.Equal([Tki.Dasatinib, Tki.Bosutinib, Tki.Ponatinib, Tki.Asciminib], f.Options);
    }

    [Fact]
    public void A_known_mutation_beside_one_in_no_row_leaves_the_options_uncomputed()
    {
        var f = Finding(Chart.On(Tki.Dasatinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "F317L", "L248V"))!;
        Assert.Equal(ActionStrength.Critical, f.Strength);
        Assert.Equal(["L248V"], f.Unclassified);
    }

    [Fact]
    public void Compound_mutations_leave_only_options_effective_against_both()
    {
        // Y253H: nilotinib ineffective; F359V: nilotinib and asciminib ineffective.
        var f = Finding(Chart.On(Tki.Nilotinib, "2025-01-01").AtDay(182, 3m).WithMutation(190, "Y253H", "F359V"))!;
        Assert.Equal([Tki.Dasatinib, Tki.Bosutinib, Tki.Ponatinib], f.Options);
    }

    [Fact]
    public void Mutation_not_in_the_table_is_not_critical() =>
        Assert.NotEqual(ActionStrength.Critical, Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3m).WithMutation(370, "M351T"))!.Strength);

    [Fact]
    public void Failure_recommends_a_review() =>
        Assert.Equal(ActionStrength.Recommend, Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 1.1m))!.Strength);

    [Fact]
    public void Warning_considers_a_review() =>
        Assert.Equal(ActionStrength.Consider, Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 1.0m))!.Strength);

    [Fact]
    public void Optimal_gives_no_review() => Assert.Null(Finding(Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.1m)));

    [Fact]
    public void NCCN_red_recommends_a_review() =>
        Assert.Equal(ActionStrength.Recommend, Chart.OnImatinibSince("2025-01-01").AtDay(182, 10.1m).Evaluate(Guideline.Nccn).Get<TherapyReviewFinding>()!.Strength);
}
