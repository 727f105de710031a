using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Rules;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests.Rules;

/// <summary>
/// Dose rules and where the adherence and interaction evidence goes (clinical specification §11). The clinic date is 2026-06-01.
/// </summary>
public class DoseAndEvidenceVignettes
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static PatientHistory On(Tki drug, TkiDose? dose, decimal latest, Phase phase = Phase.Chronic, MutationResult[]? mutations = null,
        TkiDispense[]? dispenses = null, OtherMedication[]? others = null) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2024, 1, 1), phase)],
        TkiOrders = [new TkiOrder("MedicationRequest/t", drug, new DateOnly(2024, 2, 1), null, false) { Dose = dose }],
        Results = [new BcrAbl1Result("Observation/1", new DateOnly(2025, 11, 1), 5m), new BcrAbl1Result("Observation/2", new DateOnly(2026, 5, 20), latest)],
        BcrAbl1ResultsSeen = 2,
        Mutations = mutations ?? [],
        Dispenses = dispenses ?? [],
        OtherMedications = others ?? [],
    };

    private static EvaluationResult Evaluate(PatientHistory h) => CmlEvaluator.Evaluate(h, new EvaluationSettings(), Today);

    [Fact]
    public void Ponatinib_45_mg_daily_at_0_8_percent_suggests_reducing_to_15_mg_daily()
    {
        var dose = Evaluate(On(Tki.Ponatinib, new TkiDose(45, 1), 0.8m)).Get<DoseFinding>();
        Assert.NotNull(dose);
        Assert.Equal(DoseConcern.PonatinibAboveMaintenance, dose.Concern);
        Assert.Equal(["dose.ponatinib-reduce"], dose.RuleIds);
        Assert.Equal(0.8m, dose.Latest!.Result.Percent);
    }

    [Fact]
    public void Mirror_ponatinib_45_mg_daily_at_1_2_percent_suggests_nothing()
    {
        Assert.Null(Evaluate(On(Tki.Ponatinib, new TkiDose(45, 1), 1.2m)).Get<DoseFinding>());
    }

    [Theory]
    [InlineData(15, 1, false)]  // at the maintenance dose
    [InlineData(30, 1, true)]
    [InlineData(10, 2, true)]   // 20 mg a day
    public void Ponatinib_above_15_mg_a_day_at_1_percent_or_below(decimal mg, decimal perDay, bool fires)
    {
        Assert.Equal(fires, Evaluate(On(Tki.Ponatinib, new TkiDose(mg, perDay), 1m)).Get<DoseFinding>() is not null);
    }

    [Fact]
    public void Ponatinib_with_an_unreadable_dose_infers_nothing()
    {
        Assert.Null(Evaluate(On(Tki.Ponatinib, null, 0.8m)).Get<DoseFinding>());
    }

    [Fact]
    public void Ponatinib_in_blast_phase_is_not_told_to_reduce()
    {
        Assert.Null(Evaluate(On(Tki.Ponatinib, new TkiDose(45, 1), 0.8m, Phase.Blast)).Get<DoseFinding>());
    }

    [Fact]
    public void Ponatinib_whose_latest_test_was_set_aside_is_not_told_to_reduce()
    {
        var h = On(Tki.Ponatinib, new TkiDose(45, 1), 0.8m);
        h = new PatientHistory
        {
            Diagnoses = h.Diagnoses, TkiOrders = h.TkiOrders, Results = h.Results, BcrAbl1ResultsSeen = 3,
            Notes = [new DataQualityNote(DataQualityCodes.UnknownUnit, "Observation/3", new DateOnly(2026, 5, 28), "unit", SetAside: true, BcrAbl1Result: true)],
        };
        Assert.Null(Evaluate(h).Get<DoseFinding>());
    }

    private static readonly MutationResult T315I = MutationResult.Detected("Observation/m", new DateOnly(2025, 12, 1), "T315I");

    [Fact]
    public void Asciminib_40_mg_twice_daily_with_T315I_on_file_is_a_dose_warning()
    {
        var dose = Evaluate(On(Tki.Asciminib, new TkiDose(40, 2), 0.5m, mutations: [T315I])).Get<DoseFinding>();
        Assert.NotNull(dose);
        Assert.Equal((DoseConcern.AsciminibBelowT315IDose, "dose.asciminib-t315i"), (dose.Concern, dose.RuleIds[0]));
        Assert.Same(T315I, dose.Mutation);
    }

    [Fact]
    public void Mirror_asciminib_40_mg_twice_daily_without_T315I_is_its_usual_dose()
    {
        Assert.Null(Evaluate(On(Tki.Asciminib, new TkiDose(40, 2), 0.5m)).Get<DoseFinding>());
    }

    [Theory]
    [InlineData(200, 2, false)]
    [InlineData(400, 1, true)] // not the T315I schedule
    [InlineData(80, 1, true)]
    public void Asciminib_with_T315I_needs_200_mg_twice_daily(decimal mg, decimal perDay, bool fires)
    {
        Assert.Equal(fires, Evaluate(On(Tki.Asciminib, new TkiDose(mg, perDay), 0.5m, mutations: [T315I])).Get<DoseFinding>() is not null);
    }

    [Fact]
    public void Asciminib_with_T315I_and_an_unreadable_dose_infers_nothing()
    {
        Assert.Null(Evaluate(On(Tki.Asciminib, null, 0.5m, mutations: [T315I])).Get<DoseFinding>());
    }

    [Fact]
    public void Asciminib_40_mg_twice_daily_with_T315I_is_the_mutation_path_of_therapy_review_critical_even_in_a_good_response()
    {
        var review = Evaluate(On(Tki.Asciminib, new TkiDose(40, 2), 0.05m, mutations: [T315I])).Get<TherapyReviewFinding>();
        Assert.NotNull(review);
        Assert.Equal(ActionStrength.Critical, review.Strength);
        Assert.Equal(["T315I"], review.Mutations);
        Assert.Equal(new TkiDose(40, 2), review.AsciminibT315I!.Dose);
        Assert.Contains(Tki.Asciminib, review.Options); // at the T315I dose
        Assert.Contains(Tki.Ponatinib, review.Options);
    }

    [Fact]
    public void Mirror_asciminib_200_mg_twice_daily_with_T315I_is_not_a_mutation_finding()
    {
        // the chart's earlier 5% makes it a response finding of its own; the T315I mutation path is not taken
        var review = Evaluate(On(Tki.Asciminib, new TkiDose(200, 2), 0.05m, mutations: [T315I])).Get<TherapyReviewFinding>();
        Assert.True(review is null || (review.Strength != ActionStrength.Critical && review.AsciminibT315I is null));
    }

    [Fact]
    public void Asciminib_with_T315I_and_an_unreadable_dose_is_critical_asking_to_confirm_the_dose()
    {
        var review = Evaluate(On(Tki.Asciminib, null, 3.2m, mutations: [T315I])).Get<TherapyReviewFinding>();
        Assert.NotNull(review);
        Assert.Equal(ActionStrength.Critical, review.Strength);
        Assert.NotNull(review.AsciminibT315I);
        Assert.Null(review.AsciminibT315I.Dose);
    }

    [Fact]
    public void Mirror_asciminib_with_an_unreadable_dose_without_T315I_is_the_response_path()
    {
        var review = Evaluate(On(Tki.Asciminib, null, 3.2m)).Get<TherapyReviewFinding>();
        Assert.NotNull(review);
        Assert.NotEqual(ActionStrength.Critical, review.Strength);
        Assert.Null(review.AsciminibT315I);
    }

    private static PatientHistory Ponatinib(params (string Start, string? End, decimal Mg)[] orders) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2024, 1, 1), Phase.Chronic)],
        Results = [new BcrAbl1Result("Observation/1", new DateOnly(2025, 11, 1), 5m), new BcrAbl1Result("Observation/2", new DateOnly(2026, 5, 20), 0.8m)],
        BcrAbl1ResultsSeen = 2,
        TkiOrders = orders.Select((o, i) => new TkiOrder($"MedicationRequest/p{i}", Tki.Ponatinib, DateOnly.Parse(o.Start, System.Globalization.CultureInfo.InvariantCulture),
            o.End is null ? null : DateOnly.Parse(o.End, System.Globalization.CultureInfo.InvariantCulture), o.End is not null) { Dose = new TkiDose(o.Mg, 1) }).ToList(),
    };

    [Fact]
    public void Ponatinib_re_escalated_to_45_mg_after_15_mg_is_not_told_to_reduce_again()
    {
        // 45 mg, reduced to 15 mg, response lost, back to 45 mg; now at 0.8% again
        var h = Ponatinib(("2024-02-01", "2024-09-01", 45), ("2024-09-01", "2025-06-01", 15), ("2025-06-01", null, 45));
        Assert.Null(Evaluate(h).Get<DoseFinding>());
    }

    [Fact]
    public void Mirror_ponatinib_45_then_30_mg_never_at_15_mg_is_told_to_consider_15_mg()
    {
        var h = Ponatinib(("2024-02-01", "2024-09-01", 45), ("2024-09-01", null, 30));
        Assert.NotNull(Evaluate(h).Get<DoseFinding>());
    }

    [Fact]
    public void The_dose_is_the_latest_orders_and_an_unreadable_latest_dose_is_not_replaced_by_an_older_one()
    {
        var orders = new[]
        {
            new TkiOrder("MedicationRequest/a", Tki.Ponatinib, new DateOnly(2024, 2, 1), new DateOnly(2025, 6, 1), true) { Dose = new TkiDose(45, 1) },
            new TkiOrder("MedicationRequest/b", Tki.Ponatinib, new DateOnly(2025, 6, 1), null, false),
        };
        Assert.Null(TherapyLines.Build(orders)[0].CurrentDose);
        Assert.Equal(15, TherapyLines.Build([orders[0], orders[1] with { Dose = new TkiDose(15, 1) }])[0].CurrentDose!.DailyMg);
    }

    [Fact]
    public void Failure_with_refill_gaps_and_a_PPI_on_dasatinib_puts_both_on_the_response_and_therapy_review_findings()
    {
        var gappy = new[] { new TkiDispense("MedicationDispense/1", Tki.Dasatinib, new DateOnly(2026, 1, 1), 60) };
        var ppi = new OtherMedication("MedicationRequest/o", "omeprazole 20 mg", ["A02BC01"], ["omeprazole 20 mg"]);
        var result = Evaluate(On(Tki.Dasatinib, null, 3m, dispenses: gappy, others: [ppi]));
        var review = result.Get<TherapyReviewFinding>()!;
        Assert.Equal(["therapy-review.failure", "therapy-review.adherence-concern", "therapy-review.interaction"], review.RuleIds);
        Assert.True(review.Evidence!.Adherence.Concern);
        Assert.Same(review.Evidence, result.Get<ResponseFinding>()!.Evidence);
    }

    [Fact]
    public void Mirror_failure_dispensed_throughout_with_nothing_interacting_adds_no_rule_but_still_carries_the_evidence()
    {
        var full = Enumerable.Range(0, 7).Select(i => new TkiDispense($"MedicationDispense/{i}", Tki.Dasatinib, Today.AddDays(-180 + 30 * i), 30)).ToArray();
        var result = Evaluate(On(Tki.Dasatinib, null, 3m, dispenses: full));
        var review = result.Get<TherapyReviewFinding>()!;
        Assert.Equal(["therapy-review.failure"], review.RuleIds);
        Assert.Equal(100, review.Evidence!.Adherence.Percent);
    }

    [Fact]
    public void An_optimal_response_carries_no_evidence()
    {
        Assert.Null(Evaluate(On(Tki.Dasatinib, null, 0.05m)).Get<ResponseFinding>()!.Evidence);
    }
}
