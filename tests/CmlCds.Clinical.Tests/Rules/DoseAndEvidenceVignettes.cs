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
