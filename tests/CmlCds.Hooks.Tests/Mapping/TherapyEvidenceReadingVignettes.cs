using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Tests.Mapping;

/// <summary>
/// Reading dispenses, doses and the other medications (clinical specification §11) from FHIR, through the rules to the cards:
/// each reading with its mirror. The clinic date is 2026-06-01; dasatinib since 2025-05-20, 3.2% at 12 months (failure).
/// </summary>
public class TherapyEvidenceReadingVignettes
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private const string DasatinibCode = """{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA02"}],"text":"dasatinib 100 mg"}""";

    private static MedicationRequest Order(string id, string medication, string status = "active", string dosage = """{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}}}""") =>
        Fhir.Parse<MedicationRequest>($$$"""
            {"resourceType":"MedicationRequest","id":"{{{id}}}","status":"{{{status}}}","intent":"order","medicationCodeableConcept":{{{medication}}},
             "subject":{"reference":"Patient/p1"},"authoredOn":"2025-05-20","dosageInstruction":[{{{dosage}}}]}
            """);

    private static MedicationDispense Dispense(string id, string handed, string supply = """ "daysSupply":{"value":30,"unit":"days","system":"http://unitsofmeasure.org","code":"d"} """,
        string status = "completed", string medication = DasatinibCode) =>
        Fhir.Parse<MedicationDispense>($$$"""
            {"resourceType":"MedicationDispense","id":"{{{id}}}","status":"{{{status}}}","medicationCodeableConcept":{{{medication}}},
             "subject":{"reference":"Patient/p1"},"whenHandedOver":"{{{handed}}}",{{{supply}}} }
            """);

    private static Resource[] Failure(params Resource[] more) =>
    [
        Fhir.Cml(), Order("da", DasatinibCode),
        Fhir.BcrAbl1("b1", "2025-08-19", "12"), Fhir.BcrAbl1("b2", "2025-11-18", "6.1"), Fhir.BcrAbl1("b3", "2026-05-20", "3.2"),
        .. more,
    ];

    private static PatientHistory Map(params Resource[] resources) => PatientHistoryMapper.Map(resources, Today);

    private static IReadOnlyList<Card> Cards(params Resource[] resources) => CardsOf(Map(resources));

    private static IReadOnlyList<Card> CardsOf(PatientHistory history) =>
        new CardRenderer(new RandomCardIds()).Render(CmlEvaluator.Evaluate(history, new EvaluationSettings(), Today), new CardContext("p1")).Cards;

    /// <summary>As the service maps it when the resolver could not read (or read in full) these prefetch keys.</summary>
    private static IReadOnlyList<Card> CardsUnread(string[] unreadKeys, params Resource[] resources) =>
        CardsOf(PatientHistoryMapper.Map(resources, Today, unreadKeys: unreadKeys));

    [Fact]
    public void Dispense_records_that_could_not_be_read_are_said_so_never_no_dispense_records()
    {
        var review = Topic(CardsUnread(["medicationDispenses"], Failure()), CardTopics.TherapyReview);
        Assert.Contains("**Adherence**: the dispense records could not be read", review.Detail);
        Assert.DoesNotContain("no dispense records", review.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_dispense_records_read_and_empty_are_no_dispense_records()
    {
        var review = Topic(Cards(Failure()), CardTopics.TherapyReview);
        Assert.Contains("**Adherence**: no dispense records of dasatinib", review.Detail);
    }

    [Fact]
    public void A_truncated_dispense_key_is_not_computable_never_refill_gaps()
    {
        // only the first page came: a lone old dispense would read as 17% with refill gaps
        var review = Topic(CardsUnread(["medicationDispenses"], Failure(Dispense("d1", "2025-12-10"))), CardTopics.TherapyReview);
        Assert.Contains("the dispense records could not be read", review.Detail);
        Assert.DoesNotContain("refill gaps", review.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Adherence concern", review.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Statements_that_could_not_be_read_leave_interactions_checked_against_orders_only_never_none_on_file()
    {
        var review = Topic(CardsUnread(["medicationStatements"], Failure()), CardTopics.TherapyReview);
        Assert.Contains("medication statements could not be read (see the data-quality notes): checked against orders only", review.Detail);
        Assert.DoesNotContain("none active on file", review.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_statements_read_and_no_other_medication_is_none_active_on_file()
    {
        var review = Topic(Cards(Failure()), CardTopics.TherapyReview);
        Assert.Contains("none active on file", review.Detail);
        Assert.DoesNotContain("could not be read", review.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Statements_unread_beside_an_interacting_order_still_say_what_was_not_checked()
    {
        var review = Topic(CardsUnread(["medicationStatements"], Failure(Order("ome", """{"coding":[{"system":"http://www.whocc.no/atc","code":"A02BC01"}],"text":"omeprazole 20 mg"}"""))), CardTopics.TherapyReview);
        Assert.Contains("omeprazole 20 mg, a proton-pump inhibitor", review.Detail);
        Assert.Contains("medication statements could not be read", review.Detail);
    }

    private static Card Topic(IReadOnlyList<Card> cards, CdsCoding topic) => Assert.Single(cards, c => c.Source.Topic!.Code == topic.Code);

    [Fact]
    public void A_completed_dispense_reads_its_days_supply()
    {
        var d = Assert.Single(Map(Failure(Dispense("d1", "2026-05-02"))).Dispenses);
        Assert.Equal((Tki.Dasatinib, new DateOnly(2026, 5, 2), (int?)30), (d.Drug, d.HandedOver, d.DaysSupply));
    }

    [Fact]
    public void Without_days_supply_the_quantity_is_divided_by_the_dispenses_daily_dose_in_the_same_unit()
    {
        var d = Map(Failure(Dispense("d1", "2026-05-02", """
            "quantity":{"value":60,"unit":"tablet"},"dosageInstruction":[{"timing":{"repeat":{"frequency":2,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"}}]}]
            """))).Dispenses.Single();
        Assert.Equal(30, d.DaysSupply);
    }

    [Fact]
    public void Mirror_a_quantity_in_tablets_against_a_dose_in_mg_is_not_computable_and_said_so()
    {
        var h = Map(Failure(Dispense("d1", "2026-05-02", """
            "quantity":{"value":30,"unit":"tablet"},"dosageInstruction":[{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":100,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}]}]
            """)));
        Assert.Null(h.Dispenses.Single().DaysSupply);
        Assert.Contains(h.Notes, n => n.Code == DataQualityCodes.DispenseSupplyUnreadable);
        var review = Topic(Cards(Failure(Dispense("d1", "2026-05-02", """ "quantity":{"value":30,"unit":"tablet"} """))), CardTopics.TherapyReview);
        Assert.Contains("**Adherence**: not computable", review.Detail);
    }

    [Theory]
    [InlineData("in-progress", "still in progress")]
    [InlineData("cancelled", "cancelled")]
    public void A_dispense_not_handed_over_is_not_counted_and_is_noted_in_words(string status, string words)
    {
        var h = Map(Failure(Dispense("d1", "2026-05-02", status: status)));
        Assert.Empty(h.Dispenses);
        var note = Assert.Single(h.Notes, n => n.Code == DataQualityCodes.DispenseStatusNotUsed);
        Assert.Contains($"dispense {words}: not handed over", note.Message);
        Assert.DoesNotContain($"'{status}'", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_a_dispense_entered_in_error_is_no_dispense_and_dropped_without_a_note()
    {
        var h = Map(Failure(Dispense("d1", "2026-05-02", status: "entered-in-error")));
        Assert.Empty(h.Dispenses);
        Assert.DoesNotContain(h.Notes, n => n.Code == DataQualityCodes.DispenseStatusNotUsed);
    }

    [Fact]
    public void A_refill_gap_prints_its_last_uncovered_day_and_the_refill_date()
    {
        // 30 days from 2025-12-03, refilled 2026-01-22 (20 days uncovered: 2026-01-02 to 2026-01-21), then 130 days
        var review = Topic(Cards(Failure(Dispense("d1", "2025-12-03"), Dispense("d2", "2026-01-22", """ "daysSupply":{"value":130,"unit":"days","system":"http://unitsofmeasure.org","code":"d"} """))), CardTopics.TherapyReview);
        Assert.Contains("2026-01-02 to 2026-01-21 (20 days, refilled 2026-01-22)", review.Detail);
        Assert.Contains("refill gaps (88% of 180 days covered)", review.Summary);
    }

    [Fact]
    public void A_dispense_of_another_drug_is_not_a_TKI_dispense()
    {
        Assert.Empty(Map(Failure(Dispense("d1", "2026-05-02", medication: """{"coding":[{"system":"http://www.whocc.no/atc","code":"A02BC01"}]}"""))).Dispenses);
    }

    [Fact]
    public void A_dispense_without_a_handover_date_is_set_aside_with_a_note()
    {
        var md = Dispense("d1", "2026-05-02");
        md.WhenHandedOver = null;
        var h = Map(Failure(md));
        Assert.Empty(h.Dispenses);
        Assert.Contains(h.Notes, n => n.Code == DataQualityCodes.DispenseNoHandoverDate);
    }

    [Fact]
    public void Dispenses_on_file_without_a_handover_date_are_dispense_records_not_read_never_no_dispense_records()
    {
        // the chart holds dasatinib dispenses, but none says when it was handed over: they cannot be placed in the window
        var undated = Dispense("d1", "2026-05-02");
        undated.WhenHandedOver = null;
        var review = Topic(Cards(Failure(undated)), CardTopics.TherapyReview);
        Assert.Contains("the dispense records could not be read", review.Detail);
        Assert.DoesNotContain("no dispense records", review.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_a_dispense_of_another_drug_without_a_handover_date_changes_nothing_for_the_TKI()
    {
        var undated = Dispense("d1", "2026-05-02", medication: """{"coding":[{"system":"http://www.whocc.no/atc","code":"A02BC01"}]}""");
        undated.WhenHandedOver = null;
        var review = Topic(Cards(Failure(undated)), CardTopics.TherapyReview);
        Assert.Contains("**Adherence**: no dispense records of dasatinib", review.Detail);
    }

    [Fact]
    public void No_dispenses_the_cards_say_no_dispense_records_never_good_adherence()
    {
        var cards = Cards(Failure());
        foreach (var card in new[] { Topic(cards, CardTopics.ResponseFailure), Topic(cards, CardTopics.TherapyReview) })
        {
            Assert.Contains("**Adherence**: no dispense records of dasatinib", card.Detail);
            Assert.DoesNotContain("dispensed for", card.Detail);
        }
    }

    [Fact]
    public void Dispensed_throughout_the_cards_say_so_in_one_line()
    {
        var dispenses = Enumerable.Range(0, 7).Select(i => (Resource)Dispense($"d{i}", Today.AddDays(-185 + 30 * i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var review = Topic(Cards(Failure(dispenses)), CardTopics.TherapyReview);
        Assert.Contains("**Adherence**: dasatinib dispensed for 100% of the last 180 days (7 dispenses).", review.Detail);
        Assert.Contains("**Other medications**: none active on file", review.Detail);
    }

    [Fact]
    public void An_active_PPI_is_named_with_the_labels_advice_on_both_cards()
    {
        var cards = Cards(Failure(Order("ppi", """{"coding":[{"system":"http://www.whocc.no/atc","code":"A02BC01","display":"omeprazole"}],"text":"omeprazole 20 mg capsule"}""")));
        var review = Topic(cards, CardTopics.TherapyReview);
        Assert.Contains("omeprazole", review.Summary);
        foreach (var card in new[] { Topic(cards, CardTopics.ResponseFailure), review })
        {
            Assert.Contains("- omeprazole 20 mg capsule, a proton-pump inhibitor: avoid", card.Detail);
            Assert.Contains("SPRYCEL (dasatinib) US prescribing information, section 7.1", card.Detail);
        }
    }

    [Theory]
    [InlineData("stopped")]
    [InlineData("completed")]
    [InlineData("entered-in-error")]
    public void Mirror_the_same_PPI_no_longer_active_is_not_named(string status)
    {
        var h = Map(Failure(Order("ppi", """{"coding":[{"system":"http://www.whocc.no/atc","code":"A02BC01"}],"text":"omeprazole"}""", status)));
        Assert.Empty(h.OtherMedications);
        Assert.DoesNotContain("omeprazole", Topic(Cards(Failure(Order("ppi", """{"text":"omeprazole"}""", status))), CardTopics.TherapyReview).Detail);
    }

    [Fact]
    public void A_medication_the_table_does_not_know_is_not_checked_on_the_card()
    {
        var review = Topic(Cards(Failure(Order("met", """{"text":"metformin 500 mg tablet"}"""))), CardTopics.TherapyReview);
        Assert.Contains("none could be checked for dasatinib: 1 not checked (not in the table): metformin 500 mg tablet.", review.Detail);
        Assert.DoesNotContain("no interaction", review.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_drug_of_the_table_without_a_verified_row_for_the_TKI_is_not_checked_for_it_on_the_card()
    {
        var review = Topic(Cards(Failure(Order("amio", """{"text":"amiodarone 200 mg tablet"}"""))), CardTopics.TherapyReview);
        Assert.Contains("none could be checked for dasatinib: 1 not checked for dasatinib (the table has no verified row for dasatinib): amiodarone 200 mg tablet.", review.Detail);
        Assert.DoesNotContain("checked)", review.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_of_a_drug_intended_counts_as_a_medication_being_taken()
    {
        var ms = Fhir.Parse<MedicationStatement>("""
            {"resourceType":"MedicationStatement","id":"s1","status":"intended","medicationCodeableConcept":{"text":"St John's wort"},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-05-01"}
            """);
        Assert.Single(Map(Failure(ms)).OtherMedications);
    }

    [Theory]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}]}""", 45, 1)]
    [InlineData("""{"timing":{"code":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation","code":"BID"}]}},"doseAndRate":[{"doseQuantity":{"value":40,"unit":"mg"}}]}""", 40, 2)]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":12,"periodUnit":"h"}},"doseAndRate":[{"doseQuantity":{"value":200,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}]}""", 200, 2)]
    public void The_dose_is_read_from_doseQuantity_in_mg_and_the_frequency(string dosage, decimal mg, decimal perDay)
    {
        var order = Map(Fhir.Cml(), Order("t", DasatinibCode, dosage: dosage)).TkiOrders.Single();
        Assert.Equal(new TkiDose(mg, perDay), order.Dose);
    }

    [Theory]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"frequencyMax":2,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg"}}]}""")]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":1,"periodMax":2,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg"}}]}""")]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d","dayOfWeek":["mon","tue","wed","thu","fri"]}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg"}}]}""")]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d","when":["ACM"]}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg"}}]}""")]
    public void A_timing_with_a_range_a_weekday_pattern_or_an_event_is_unreadable_and_infers_no_dose(string dosage)
    {
        Assert.Null(Map(Fhir.Cml(), Order("t", DasatinibCode, dosage: dosage)).TkiOrders.Single().Dose);
    }

    [Fact]
    public void Mirror_the_same_timing_without_them_is_45_mg_once_daily()
    {
        var dose = Map(Fhir.Cml(), Order("t", DasatinibCode, dosage: """{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg"}}]}""")).TkiOrders.Single().Dose;
        Assert.Equal(45, dose!.DailyMg);
    }

    [Theory]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"}}]}""")]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}}}""")]
    [InlineData("""{"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg"}}]}""")]
    [InlineData("""{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg"}}]},{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":15,"unit":"mg"}}]}""")]
    public void Mirror_an_unreadable_dose_is_no_dose(string dosage)
    {
        Assert.Null(Map(Fhir.Cml(), Order("t", DasatinibCode, dosage: dosage)).TkiOrders.Single().Dose);
    }

    [Fact]
    public void Ponatinib_45_mg_at_0_8_percent_at_6_months_gets_the_dose_review_card()
    {
        var ponatinib = """{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA05"}]}""";
        var dose = """{"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":45,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}]}""";
        var card = Topic(Cards(Fhir.Cml(), Order("p", ponatinib, dosage: dose), Fhir.BcrAbl1("b", "2025-11-25", "0.8")), CardTopics.DoseReview);
        Assert.Equal(Indicator.Info, card.Indicator);
        Assert.Contains("consider reducing ponatinib to 15 mg daily", card.Summary);
        Assert.DoesNotContain(Cards(Fhir.Cml(), Order("p", ponatinib, dosage: dose), Fhir.BcrAbl1("b", "2025-11-25", "1.2")), c => c.Source.Topic!.Code == CardTopics.DoseReview.Code);
    }

    [Fact]
    public void The_dispense_profile_checks_a_dispense_used_for_adherence()
    {
        var md = Dispense("d1", "2026-05-02");
        md.Subject = null;
        var h = Map(Failure(md));
        Assert.Equal(30, h.Dispenses.Single().DaysSupply);
        Assert.Contains(h.Notes, n => n.Code == DataQualityCodes.ProfileCardinality && n.Message.Contains("MedicationDispense.subject", StringComparison.Ordinal));
        Assert.DoesNotContain(Map(Failure(Dispense("d1", "2026-05-02"))).Notes, n => n.Code.StartsWith("profile.", StringComparison.Ordinal));
    }
}
