using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Tests.Cards;

/// <summary>
/// Patients whose state needs its own card (clinical specification §3, §7): advanced phase, and a TFR relapse with
/// pregnancy recorded. Each with its mirror. The clinic date is 2026-06-01.
/// </summary>
public class PathwayVignettes
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static IReadOnlyList<Card> Cards(PatientHistory h) =>
        new CardRenderer(new RandomCardIds()).Render(CmlEvaluator.Evaluate(h, new EvaluationSettings(), Today), new CardContext("p1")).Cards;

    private static PatientHistory OnDasatinib(Phase phase, decimal latest) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/dx", new DateOnly(2025, 4, 1), Phase.Chronic), new CmlDiagnosis("Condition/bp", new DateOnly(2026, 5, 2), phase)],
        TkiOrders = [new TkiOrder("MedicationRequest/da", Tki.Dasatinib, new DateOnly(2025, 5, 1), null, false)],
        Results = [new BcrAbl1Result("Observation/1", new DateOnly(2025, 11, 1), 0.9m), new BcrAbl1Result("Observation/2", new DateOnly(2026, 5, 20), latest)],
        BcrAbl1ResultsSeen = 2,
    };

    [Theory]
    [InlineData(Phase.Blast, "blast")]
    [InlineData(Phase.Accelerated, "accelerated")]
    public void Blast_or_accelerated_phase_on_dasatinib_at_4_percent_gets_the_critical_advanced_phase_card_not_optimal(Phase phase, string word)
    {
        var cards = Cards(OnDasatinib(phase, 4m));
        var card = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.AdvancedPhase.Code);
        Assert.Equal(Indicator.Critical, card.Indicator);
        Assert.Contains($"{word} phase", card.Summary);
        Assert.Contains("4% IS", card.Summary);
        Assert.Contains("transplant", card.Detail);
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code.StartsWith("response-", StringComparison.Ordinal));
        Assert.All(cards, c => Assert.DoesNotContain("continue the current TKI", c.Detail ?? "", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cards, c => c.Source.Topic!.Code == CardTopics.MutationAnalysis.Code);
    }

    [Fact]
    public void Mirror_chronic_phase_at_the_same_result_keeps_its_milestone_card_and_no_advanced_phase_card()
    {
        var cards = Cards(OnDasatinib(Phase.Chronic, 4m));
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.AdvancedPhase.Code);
        Assert.Contains(cards, c => c.Source.Topic!.Code == CardTopics.ResponseFailure.Code);
    }

    [Fact]
    public void A_later_chronic_phase_diagnosis_brings_the_milestones_back()
    {
        var h = OnDasatinib(Phase.Blast, 0.05m);
        h = new PatientHistory
        {
            Diagnoses = [.. h.Diagnoses, new CmlDiagnosis("Condition/cp2", new DateOnly(2026, 5, 25), Phase.Chronic)],
            TkiOrders = h.TkiOrders, Results = h.Results, BcrAbl1ResultsSeen = h.BcrAbl1ResultsSeen,
        };
        Assert.DoesNotContain(Cards(h), c => c.Source.Topic!.Code == CardTopics.AdvancedPhase.Code);
    }

    /// <summary>Imatinib 2018 → stopped 2026-01-20 in MR4.5, 0.3% on 2026-05-20: a TFR relapse.</summary>
    private static PatientHistory RelapsedInTfr(PregnancyRecord? pregnancy) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2017, 12, 1), Phase.Chronic)],
        TkiOrders = [new TkiOrder("MedicationRequest/m", Tki.Imatinib, new DateOnly(2018, 1, 1), new DateOnly(2026, 1, 20), true, true)],
        Results = [new BcrAbl1Result("Observation/pre", new DateOnly(2026, 1, 10), 0.003m), new BcrAbl1Result("Observation/after", new DateOnly(2026, 5, 20), 0.3m)],
        BcrAbl1ResultsSeen = 2,
        Pregnancy = pregnancy,
    };

    [Fact]
    public void A_TFR_relapse_with_pregnancy_recorded_suggests_no_TKI_order_and_says_why()
    {
        var cards = Cards(RelapsedInTfr(new PregnancyRecord("Condition/preg", new DateOnly(2026, 4, 2))));
        var card = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.TfrMolecularRelapse.Code);
        Assert.Equal(Indicator.Critical, card.Indicator);
        Assert.Null(card.Suggestions);
        Assert.DoesNotContain(cards.SelectMany(c => c.Suggestions ?? []).SelectMany(s => s.Actions ?? []), a => a.Resource is MedicationRequest);
        Assert.Contains("pregnancy recorded", card.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("interferon-alpha", card.Detail);
    }

    [Fact]
    public void Mirror_without_pregnancy_the_relapse_card_drafts_the_resume_order()
    {
        var card = Assert.Single(Cards(RelapsedInTfr(null)), c => c.Source.Topic!.Code == CardTopics.TfrMolecularRelapse.Code);
        Assert.IsType<MedicationRequest>(Assert.Single(Assert.Single(card.Suggestions!).Actions!).Resource);
    }

    /// <summary>e1a2 detected on imatinib since 2025-05-01: no IS milestones, but still monitored.</summary>
    private static PatientHistory AtypicalOnImatinib(params DateOnly[] otherTests) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/dx", new DateOnly(2025, 4, 1), Phase.Chronic)],
        TkiOrders = [new TkiOrder("MedicationRequest/im", Tki.Imatinib, new DateOnly(2025, 5, 1), null, false)],
        Transcript = Transcript.E1a2,
        OtherBcrAbl1Dates = otherTests,
        BcrAbl1ResultsSeen = otherTests.Length,
    };

    [Fact]
    public void A_patient_with_an_atypical_transcript_gets_an_overdue_reminder_when_no_BCR_ABL1_test_is_recent()
    {
        var card = Assert.Single(Cards(AtypicalOnImatinib(new DateOnly(2025, 11, 1))), c => c.Source.Topic!.Code == CardTopics.MonitoringOverdue.Code);
        Assert.Contains("atypical transcript", card.Summary);
        Assert.Contains("2025-11-01", card.Detail);
    }

    [Fact]
    public void Mirror_a_recent_BCR_ABL1_result_not_on_the_IS_resets_the_clock_for_an_atypical_transcript() =>
        Assert.DoesNotContain(Cards(AtypicalOnImatinib(new DateOnly(2025, 11, 1), new DateOnly(2026, 4, 1))), c => c.Source.Topic!.Code == CardTopics.MonitoringOverdue.Code);

    /// <summary>Imatinib 2020 → stopped 2025-12-01 in MMR (0.05%, not MR4), then the given results off treatment.</summary>
    private static PatientHistory StoppedInMmr(PregnancyRecord? pregnancy, params (string Date, decimal Percent)[] after) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2019, 12, 1), Phase.Chronic)],
        TkiOrders = [new TkiOrder("MedicationRequest/m", Tki.Imatinib, new DateOnly(2020, 1, 1), new DateOnly(2025, 12, 1), true, true)],
        Results = [new BcrAbl1Result("Observation/pre", new DateOnly(2025, 11, 20), 0.05m), .. after.Select((r, i) => new BcrAbl1Result($"Observation/a{i}", DateOnly.Parse(r.Date), r.Percent))],
        BcrAbl1ResultsSeen = 1 + after.Length,
        Pregnancy = pregnancy,
    };

    [Fact]
    public void Stopped_in_MMR_for_pregnancy_then_rising_off_treatment_is_critical_and_suggests_no_TKI()
    {
        var cards = Cards(StoppedInMmr(new PregnancyRecord("Observation/preg", new DateOnly(2025, 11, 25)), ("2026-02-01", 0.3m), ("2026-04-01", 2.5m), ("2026-05-20", 8m)));
        var card = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.OffTreatment.Code);
        Assert.Equal(Indicator.Critical, card.Indicator);
        Assert.Contains("pregnancy recorded", card.Summary);
        Assert.Contains("interferon-alpha", card.Detail);
        Assert.DoesNotContain(cards.SelectMany(c => c.Suggestions ?? []).SelectMany(s => s.Actions ?? []), a => a.Resource is MedicationRequest);
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code.StartsWith("tfr-", StringComparison.Ordinal));
    }

    [Fact]
    public void Mirror_the_same_rise_without_pregnancy_offers_a_restart()
    {
        var card = Assert.Single(Cards(StoppedInMmr(null, ("2026-02-01", 0.3m), ("2026-05-20", 8m))), c => c.Source.Topic!.Code == CardTopics.OffTreatment.Code);
        Assert.Equal(Indicator.Critical, card.Indicator);
        Assert.Contains("consider restarting TKI", card.Summary);
        Assert.IsType<MedicationRequest>(Assert.Single(Assert.Single(card.Suggestions!).Actions!).Resource);
    }

    [Fact]
    public void Off_treatment_and_still_in_MMR_is_a_warning_to_test_monthly()
    {
        var card = Assert.Single(Cards(StoppedInMmr(null, ("2026-05-20", 0.06m))), c => c.Source.Topic!.Code == CardTopics.OffTreatment.Code);
        Assert.Equal(Indicator.Warning, card.Indicator);
        Assert.Contains("not a TFR stop", card.Summary);
        Assert.Null(card.Suggestions);
    }

    [Fact]
    public void Mirror_a_stop_in_MR4_is_a_TFR_attempt_not_off_treatment()
    {
        var cards = Cards(RelapsedInTfr(null));
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.OffTreatment.Code);
    }

    [Fact]
    public void Rising_off_treatment_after_a_stop_for_intolerance_suggests_no_one_click_restart_of_the_same_TKI()
    {
        var h = StoppedInMmr(null, ("2026-02-01", 0.3m), ("2026-05-20", 8m));
        h = new PatientHistory
        {
            Diagnoses = h.Diagnoses, Results = h.Results, BcrAbl1ResultsSeen = h.BcrAbl1ResultsSeen,
            TkiOrders = [h.TkiOrders[0] with { StopReason = ChangeReason.Intolerance }],
        };
        var card = Assert.Single(Cards(h), c => c.Source.Topic!.Code == CardTopics.OffTreatment.Code);
        Assert.Equal(Indicator.Critical, card.Indicator);
        Assert.Null(card.Suggestions);
        Assert.Contains("stopped for intolerance", card.Detail);
        Assert.Contains("chosen with the CML specialist", card.Detail);
    }

    [Fact]
    public void An_optimal_response_in_pregnancy_never_says_continue_the_current_TKI()
    {
        var h = new PatientHistory
        {
            Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2024, 12, 1), Phase.Chronic)],
            TkiOrders = [new TkiOrder("MedicationRequest/m", Tki.Imatinib, new DateOnly(2025, 1, 1), null, false)],
            Results = [new BcrAbl1Result("Observation/1", new DateOnly(2026, 3, 1), 0.05m)],
            BcrAbl1ResultsSeen = 1,
            Pregnancy = new PregnancyRecord("Condition/preg", new DateOnly(2026, 2, 1)),
        };
        var card = Assert.Single(Cards(h), c => c.Source.Topic!.Code == CardTopics.ResponseOptimal.Code);
        Assert.DoesNotContain("continue the current TKI", card.Detail);
        Assert.Contains("pregnancy recorded", card.Detail);
    }

    [Fact]
    public void An_undated_blast_phase_diagnosis_counts_as_current()
    {
        var h = OnDasatinib(Phase.Chronic, 0.05m);
        h = new PatientHistory
        {
            Diagnoses = [.. h.Diagnoses, new CmlDiagnosis("Condition/bp", null, Phase.Blast)],
            TkiOrders = h.TkiOrders, Results = h.Results, BcrAbl1ResultsSeen = h.BcrAbl1ResultsSeen,
        };
        Assert.Contains(Cards(h), c => c.Source.Topic!.Code == CardTopics.AdvancedPhase.Code);
    }

    [Fact]
    public void A_stop_without_a_date_is_still_off_treatment_and_a_rise_is_critical()
    {
        var h = StoppedInMmr(null, ("2026-02-01", 0.3m), ("2026-05-20", 8m));
        h = new PatientHistory
        {
            Diagnoses = h.Diagnoses, Results = h.Results, BcrAbl1ResultsSeen = h.BcrAbl1ResultsSeen,
            TkiOrders = [h.TkiOrders[0] with { End = null }],
        };
        var cards = Cards(h);
        var card = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.OffTreatment.Code);
        Assert.Equal(Indicator.Critical, card.Indicator);
        Assert.Contains("stop date not recorded", card.Summary);
        Assert.Equal(Indicator.Warning, Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.DataQuality.Code).Indicator);
    }

    [Fact]
    public void A_mutation_found_on_an_earlier_line_is_named_on_the_response_card_even_when_optimal()
    {
        var h = new PatientHistory
        {
            Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2023, 12, 1), Phase.Chronic)],
            TkiOrders = [new TkiOrder("MedicationRequest/im", Tki.Imatinib, new DateOnly(2024, 1, 1), null, false), new TkiOrder("MedicationRequest/po", Tki.Ponatinib, new DateOnly(2025, 2, 1), null, false)],
            Results = [new BcrAbl1Result("Observation/1", new DateOnly(2026, 5, 1), 0.05m)],
            Mutations = [MutationResult.Detected("Observation/kd", new DateOnly(2025, 1, 10), "T315I")],
            BcrAbl1ResultsSeen = 1,
        };
        var card = Assert.Single(Cards(h), c => c.Source.Topic!.Code == CardTopics.ResponseOptimal.Code);
        Assert.Contains("**Mutations on file**: T315I (2025-01-10); ponatinib is not ruled out by them", card.Detail);
    }

    private static PatientHistory OnAsciminibWithT315I(TkiDose? dose, decimal latest) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2024, 12, 1), Phase.Chronic)],
        TkiOrders = [new TkiOrder("MedicationRequest/as", Tki.Asciminib, new DateOnly(2025, 1, 1), null, false) { Dose = dose }],
        Results = [new BcrAbl1Result("Observation/1", new DateOnly(2026, 5, 1), latest)],
        Mutations = [MutationResult.Detected("Observation/kd", new DateOnly(2024, 12, 20), "T315I")],
        BcrAbl1ResultsSeen = 1,
    };

    [Fact]
    public void Asciminib_40_mg_twice_daily_with_T315I_and_a_failure_gets_one_critical_review_naming_the_dose_and_no_dose_card()
    {
        var cards = Cards(OnAsciminibWithT315I(new TkiDose(40, 2), 12m));
        var review = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.TherapyReview.Code);
        Assert.Equal(Indicator.Critical, review.Indicator);
        Assert.Contains("asciminib 40 mg twice daily is below the T315I dose", review.Summary);
        Assert.Contains("the current order is 40 mg twice daily, below it", review.Detail);
        Assert.DoesNotContain("adherence", review.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.DoseReview.Code);
    }

    [Fact]
    public void Asciminib_with_T315I_and_an_unreadable_dose_asks_to_confirm_the_dose_without_calling_it_low()
    {
        var review = Assert.Single(Cards(OnAsciminibWithT315I(null, 12m)), c => c.Source.Topic!.Code == CardTopics.TherapyReview.Code);
        Assert.Equal(Indicator.Critical, review.Indicator);
        Assert.Contains("asciminib acts on T315I only at 200 mg twice daily and the order's dose could not be read: confirm it", review.Summary);
        Assert.DoesNotContain("below", review.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_asciminib_200_mg_twice_daily_with_T315I_is_not_the_mutation_path()
    {
        var cards = Cards(OnAsciminibWithT315I(new TkiDose(200, 2), 0.05m));
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.TherapyReview.Code && c.Indicator == Indicator.Critical);
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.DoseReview.Code);
    }

    private static PatientHistory OnPonatinib45(params BcrAbl1Result[] results) => new()
    {
        Diagnoses = [new CmlDiagnosis("Condition/c", new DateOnly(2025, 4, 1), Phase.Chronic)],
        TkiOrders = [new TkiOrder("MedicationRequest/po", Tki.Ponatinib, new DateOnly(2025, 5, 20), null, false) { Dose = new TkiDose(45, 1) }],
        Results = results,
        BcrAbl1ResultsSeen = results.Length,
    };

    [Fact]
    public void Ponatinib_45_mg_at_0_8_percent_at_12_months_puts_the_dose_inside_the_therapy_review_card_with_one_next()
    {
        var cards = Cards(OnPonatinib45(new BcrAbl1Result("Observation/1", new DateOnly(2026, 5, 20), 0.8m)));
        var review = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.TherapyReview.Code);
        Assert.Contains("**Dose**: ponatinib 45 mg once daily on the current order", review.Detail);
        Assert.Contains("4. The dose: consider reducing ponatinib to 15 mg daily", review.Detail);
        Assert.Contains("the ponatinib dose: consider 15 mg daily", review.Summary);
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.DoseReview.Code);
    }

    [Fact]
    public void Mirror_ponatinib_45_mg_at_0_8_percent_at_6_months_optimal_keeps_the_dose_card_of_its_own()
    {
        var cards = Cards(OnPonatinib45(new BcrAbl1Result("Observation/1", new DateOnly(2025, 11, 25), 0.8m)));
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.TherapyReview.Code);
        var dose = Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.DoseReview.Code);
        Assert.Contains("consider reducing ponatinib to 15 mg daily", dose.Summary);
    }
}
