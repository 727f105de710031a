using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Tests.Mapping;

/// <summary>
/// Reading the chart safely (clinical specification §1–2): each chart as a clinic records it, read through the
/// mapping and the rules to the cards a hematologist would see. Every situation comes with its mirror on the other
/// side of the reading. The clinic date is 2026-06-01.
/// </summary>
public class ChartReadingVignettes
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private const string Imatinib = """{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA01"}]}""";
    private const string Dasatinib = """{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA02"}]}""";

    private sealed class Patient
    {
        private readonly List<Resource> _resources = [Fhir.Cml()];
        private int _n;

        public Patient Add(Resource r) { _resources.Add(r); return this; }

        public Patient Is(string date, string value, string components = "") => Add(Fhir.BcrAbl1($"bcr-{++_n}", date, value, components: components));

        public Patient Undetectable(string date, string below, string components = "") => Add(Fhir.BcrAbl1($"bcr-{++_n}", date, below, comparator: "<", components: components));

        public Patient Order(string id, string medication, string start, string status = "active", string? end = null, string extra = "") =>
            Add(Fhir.Parse<MedicationRequest>($$$"""
                {"resourceType":"MedicationRequest","id":"{{{id}}}","status":"{{{status}}}","intent":"order",
                 "medicationCodeableConcept":{{{medication}}},"subject":{"reference":"Patient/p1"},"authoredOn":"{{{start}}}",
                 "dosageInstruction":[{"timing":{"repeat":{"boundsPeriod":{"start":"{{{start}}}"{{{(end is null ? "" : $",\"end\":\"{end}\"")}}} } } } }]{{{extra}}} }
                """));

        public Patient Observation(string json) => Add(Fhir.Parse<Observation>(json));

        public PatientHistory History => PatientHistoryMapper.Map(_resources, Today);
        public EvaluationResult Evaluate() => CmlEvaluator.Evaluate(History, new EvaluationSettings(), Today);
        public IReadOnlyList<Card> Cards() => new CardRenderer(new RandomCardIds()).Render(Evaluate(), new CardContext("p1")).Cards;
        public IReadOnlyList<string> Topics() => Cards().Select(c => c.Source.Topic!.Code).ToList();
    }

    /// <summary>On imatinib since 2025-05-20; 3.2% at 12 months: a failure by ELN 2020.</summary>
    private static Patient FailingAt12Months() => new Patient()
        .Order("im", Imatinib, "2025-05-20").Is("2025-08-20", "12").Is("2025-11-20", "5").Is("2026-05-20", "3.2");

    private static string E1a2(string value) => $$$"""
        {"resourceType":"Observation","id":"e1a2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"52132-8"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2025-05-10",{{{value}}} }
        """;

    private static string Transcript(string value) =>
        $$$""","component":[{"code":{"coding":[{"system":"http://cmlcds.org/fhir/CodeSystem/observation-component","code":"transcript-type"}]},"valueString":"{{{value}}}"}]""";

    // 1. A negative e1a2 screen changes nothing.

    [Theory]
    [InlineData("\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"260415000\"}]}")]
    [InlineData("\"valueQuantity\":{\"value\":0,\"unit\":\"%\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"%\"}")]
    [InlineData("\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA9634-2\"}]}")]
    public void A_negative_e1a2_screen_leaves_the_12_month_failure_critical(string value)
    {
        var patient = FailingAt12Months().Observation(E1a2(value));
        Assert.False(patient.History.HasAtypicalTranscript);
        var response = Assert.Single(patient.Cards(), c => c.Source.Topic!.Code == CardTopics.ResponseFailure.Code);
        Assert.Equal(Indicator.Critical, response.Indicator);
        Assert.DoesNotContain(patient.History.Notes, n => n.Code == DataQualityCodes.AtypicalTranscript);
    }

    [Theory]
    [InlineData("\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"260373001\"}]}")]
    [InlineData("\"valueQuantity\":{\"value\":0.8,\"unit\":\"%\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"%\"}")]
    public void Mirror_an_e1a2_reported_detected_is_still_atypical_and_stops_the_milestones(string value)
    {
        var patient = FailingAt12Months().Observation(E1a2(value));
        Assert.True(patient.History.HasAtypicalTranscript);
        Assert.DoesNotContain(CardTopics.ResponseFailure.Code, patient.Topics());
        Assert.Contains(patient.Evaluate().Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.AtypicalTranscript);
    }

    // 2. Co-expressed typical transcripts are typical.

    [Theory]
    [InlineData("e13a2/e14a2")]
    [InlineData("b2a2+b3a2")]
    [InlineData("e13a2-e14a2")]
    public void Coexpressed_e13a2_and_e14a2_is_typical_and_the_failure_stands(string transcript)
    {
        var patient = FailingAt12Months().Is("2025-05-01", "60", Transcript(transcript));
        Assert.Equal(Clinical.Responses.Transcript.E13a2E14a2, patient.History.Transcript);
        Assert.Contains(CardTopics.ResponseFailure.Code, patient.Topics());
    }

    [Fact]
    public void Mirror_an_e19a2_transcript_alone_is_atypical()
    {
        var patient = FailingAt12Months().Is("2025-05-01", "60", Transcript("e19a2"));
        Assert.True(patient.History.HasAtypicalTranscript);
        Assert.DoesNotContain(CardTopics.ResponseFailure.Code, patient.Topics());
    }

    [Fact]
    public void A_typical_transcript_coexpressed_with_e1a2_keeps_the_milestones_with_a_note_to_confirm_the_assay()
    {
        var patient = FailingAt12Months().Is("2025-05-01", "60", Transcript("e14a2/e1a2"));
        Assert.False(patient.History.HasAtypicalTranscript);
        Assert.Contains(CardTopics.ResponseFailure.Code, patient.Topics());
        var note = Assert.Single(patient.Evaluate().Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.AtypicalTranscriptCoexpressed);
        Assert.Contains("confirm with the laboratory", note.Message);
    }

    // 3. Mutation reports are read variant by variant.

    private static string KdText(string text) => $$$"""
        {"resourceType":"Observation","id":"kd","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55135-8"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-05-25","valueString":"{{{text}}}"}
        """;

    private static string AminoAcid(string change, string? call = null, string? significance = null, string? vaf = null)
    {
        var json = $$$"""{"code":{"coding":[{"system":"http://loinc.org","code":"48005-3"}]},"valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"{{{change}}}"}]}}""";
        if (call is not null) json += $$$""",{"code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"{{{call}}}"}]}}""";
        if (significance is not null) json += $$$""",{"code":{"coding":[{"system":"http://loinc.org","code":"53037-8"}]},"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"{{{significance}}}"}]}}""";
        if (vaf is not null) json += $$$""",{"code":{"coding":[{"system":"http://loinc.org","code":"81258-6"}]},"valueQuantity":{"value":{{{vaf}}},"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}""";
        return json;
    }

    private static string KdComponents(params string[] components) => $$$"""
        {"resourceType":"Observation","id":"kd","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55135-8"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-05-25","component":[{{{string.Join(",", components)}}}]}
        """;

    private static Patient OnDasatinibWarning() => new Patient().Order("da", Dasatinib, "2025-05-20").Is("2026-05-20", "0.5");

    [Fact]
    public void F317L_detected_with_T315I_not_detected_in_text_is_F317L_a_critical_review_on_dasatinib()
    {
        var patient = OnDasatinibWarning().Observation(KdText("F317L detected; T315I not detected"));
        var m = Assert.Single(patient.History.Mutations);
        Assert.Equal(["F317L"], m.Mutations);
        Assert.True(m.ReadFromText);
        var review = patient.Evaluate().Get<TherapyReviewFinding>()!;
        Assert.Equal(ActionStrength.Critical, review.Strength);
        Assert.Equal(["F317L"], review.Mutations);
        var note = Assert.Single(patient.History.Notes, n => n.Code == DataQualityCodes.MutationReadFromText);
        Assert.Contains("F317L detected; T315I not detected", note.Message);
    }

    [Fact]
    public void Mirror_T315I_detected_with_F317L_not_detected_on_imatinib_is_still_critical_for_T315I()
    {
        var patient = new Patient().Order("im", Imatinib, "2025-05-20").Is("2026-05-20", "0.5")
            .Observation(KdText("T315I detected, F317L not detected."));
        var review = patient.Evaluate().Get<TherapyReviewFinding>()!;
        Assert.Equal(ActionStrength.Critical, review.Strength);
        Assert.Equal(["T315I"], review.Mutations);
        Assert.True(review.Transplant);
    }

    [Fact]
    public void Structured_variants_take_their_own_presence_calls_and_show_the_allele_frequency()
    {
        var patient = OnDasatinibWarning().Observation(KdComponents(AminoAcid("p.Thr315Ile", call: "LA9634-2"), AminoAcid("p.Phe317Leu", call: "LA9633-4", vaf: "12")));
        var m = Assert.Single(patient.History.Mutations);
        Assert.Equal(["F317L"], m.Mutations);
        Assert.False(m.ReadFromText);
        Assert.DoesNotContain(patient.History.Notes, n => n.Code == DataQualityCodes.MutationReadFromText);
        var card = Assert.Single(patient.Cards(), c => c.Source.Topic!.Code == CardTopics.TherapyReview.Code);
        Assert.Contains("F317L (VAF 12%)", card.Detail);
    }

    [Fact]
    public void A_detected_variant_reported_benign_is_not_a_resistance_mutation()
    {
        var patient = OnDasatinibWarning().Observation(KdComponents(AminoAcid("p.Phe317Leu", call: "LA9633-4", significance: "LA6675-8")));
        Assert.False(Assert.Single(patient.History.Mutations).AnyDetected);
        Assert.NotEqual(ActionStrength.Critical, patient.Evaluate().Get<TherapyReviewFinding>()?.Strength);
    }

    [Fact]
    public void Mirror_the_same_variant_reported_pathogenic_is_critical_on_dasatinib()
    {
        var patient = OnDasatinibWarning().Observation(KdComponents(AminoAcid("p.Phe317Leu", call: "LA9633-4", significance: "LA6668-3")));
        Assert.Equal(ActionStrength.Critical, patient.Evaluate().Get<TherapyReviewFinding>()!.Strength);
    }

    [Theory]
    [InlineData("Y253H; no T315I", "Y253H")]
    [InlineData("T315I detected in 40% of clones (no other mutations)", "T315I")]
    [InlineData("T315I, F317L: not detected", "T315I")]
    public void A_protein_change_is_absent_only_when_its_own_clause_says_not_detected_negative_or_absent(string text, string detected) =>
        Assert.Contains(detected, Assert.Single(new Patient().Observation(KdText(text)).History.Mutations).Mutations);

    [Fact]
    public void A_protein_change_given_only_as_a_coding_display_is_read()
    {
        var component = """{"code":{"coding":[{"system":"http://loinc.org","code":"48005-3"}]},"valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"NM_005157.6:c.944C>T","display":"p.Thr315Ile"}]}}""";
        Assert.Equal(["T315I"], Assert.Single(OnDasatinibWarning().Observation(KdComponents(component)).History.Mutations).Mutations);
    }

    [Theory]
    [InlineData("e14a2 (b3a2)", Clinical.Responses.Transcript.E14a2)]
    [InlineData("e13a2 transcript", Clinical.Responses.Transcript.E13a2)]
    [InlineData("see report", Clinical.Responses.Transcript.Unknown)]
    public void A_typical_transcript_in_free_text_is_typical_and_unnamed_text_is_never_atypical(string text, Clinical.Responses.Transcript expected)
    {
        var patient = FailingAt12Months().Is("2025-05-01", "60", Transcript(text));
        Assert.Equal(expected, patient.History.Transcript);
        Assert.Contains(CardTopics.ResponseFailure.Code, patient.Topics());
    }

    [Fact]
    public void A_transcript_on_a_result_entered_in_error_is_not_read()
    {
        var patient = FailingAt12Months().Add(Fhir.BcrAbl1("void", "2025-05-01", "60", status: "entered-in-error", components: Transcript("e1a2")));
        Assert.False(patient.History.HasAtypicalTranscript);
    }

    [Theory]
    [InlineData("No mutation detected")]
    [InlineData("Negative")]
    [InlineData("T315I not detected; F317L not detected; V299L not detected")]
    public void A_report_is_negative_only_when_no_variant_is_called_detected(string text)
    {
        var m = Assert.Single(new Patient().Observation(KdText(text)).History.Mutations);
        Assert.False(m.AnyDetected);
    }

    [Fact]
    public void A_report_of_several_variants_none_detected_still_suppresses_a_second_analysis_and_raises_no_review()
    {
        var patient = FailingAt12Months().Observation(KdText("T315I not detected; F317L not detected"));
        Assert.DoesNotContain(CardTopics.MutationAnalysis.Code, patient.Topics());
        Assert.NotEqual(ActionStrength.Critical, patient.Evaluate().Get<TherapyReviewFinding>()!.Strength);
    }

    // 4. A prescription that ran out is not a stop.

    private static Patient InMr4OnImatinibSince2018() => new Patient()
        .Is("2025-06-01", "0.006").Is("2025-12-01", "0.005");

    [Fact]
    public void A_completed_order_with_nothing_active_is_not_a_TFR_stop_and_never_suggests_a_second_prescription()
    {
        var patient = InMr4OnImatinibSince2018().Order("im", Imatinib, "2018-01-10", status: "completed", end: "2026-01-10").Is("2026-04-01", "0.15");
        var evaluation = patient.Evaluate();
        Assert.Null(evaluation.Get<TfrRelapseFinding>());
        Assert.Null(evaluation.Get<TfrMonitoringFinding>());
        Assert.NotNull(patient.History.CurrentLine);
        var cards = patient.Cards();
        Assert.DoesNotContain(cards, c => c.Source.Topic!.Code == CardTopics.TfrMolecularRelapse.Code);
        Assert.DoesNotContain(cards.SelectMany(c => c.Suggestions ?? []).SelectMany(s => s.Actions ?? []), a => a.Resource is MedicationRequest);
        var note = Assert.Single(evaluation.Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.MedicationNoActiveOrder);
        Assert.Contains("no active imatinib order since 2026-01-10", note.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Indicator.Warning, Assert.Single(cards, c => c.Source.Topic!.Code == CardTopics.DataQuality.Code).Indicator);
        // Still on imatinib, and above 0.1% after MMR: loss of MMR on the line, not a TFR relapse.
        Assert.Contains("eln2020.loss-of-mmr", evaluation.Get<ResponseFinding>()!.RuleIds);
    }

    [Fact]
    public void Mirror_an_order_stopped_in_MR4_is_a_TFR_episode_and_a_rise_is_a_relapse()
    {
        var patient = InMr4OnImatinibSince2018().Order("im", Imatinib, "2018-01-10", status: "stopped", end: "2026-01-10").Is("2026-04-01", "0.15");
        Assert.NotNull(patient.Evaluate().Get<TfrRelapseFinding>());
        Assert.Contains(CardTopics.TfrMolecularRelapse.Code, patient.Topics());
    }

    [Fact]
    public void A_MedicationStatement_completed_is_an_explicit_stop()
    {
        var ms = Fhir.Parse<MedicationStatement>("""
            {"resourceType":"MedicationStatement","id":"s1","status":"completed","medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA01"}]},
             "subject":{"reference":"Patient/p1"},"effectivePeriod":{"start":"2018-01-10"},"dateAsserted":"2026-01-10"}
            """);
        var patient = InMr4OnImatinibSince2018().Add(ms);
        Assert.Null(patient.History.CurrentLine);
        Assert.Equal(new DateOnly(2026, 1, 10), patient.History.Lines[^1].End);
        Assert.NotNull(patient.Evaluate().Get<TfrMonitoringFinding>());
    }

    [Fact]
    public void A_stopped_order_whose_end_is_after_today_does_not_date_the_stop()
    {
        var patient = InMr4OnImatinibSince2018().Order("im", Imatinib, "2018-01-10", status: "stopped", end: "2026-12-31").Is("2026-04-01", "0.4");
        Assert.Null(patient.History.Lines[^1].End);
        Assert.Contains(CardTopics.OffTreatment.Code, patient.Topics());
    }

    // 5. A dose change is not a new line.

    [Fact]
    public void A_dose_change_recorded_as_stop_and_new_order_keeps_the_months_from_the_first_start()
    {
        // Imatinib 400 mg from 2025-05-20, stopped 2026-03-12 and reordered at 600 mg the same day; 0.5% on 2026-05-20.
        var patient = new Patient().Order("im400", Imatinib, "2025-05-20", status: "stopped", end: "2026-03-12")
            .Order("im600", Imatinib, "2026-03-12").Is("2025-11-20", "0.9").Is("2026-05-20", "0.5");
        var line = Assert.Single(patient.History.Lines);
        Assert.Equal(new DateOnly(2025, 5, 20), line.Start);
        var response = patient.Evaluate().Get<ResponseFinding>()!;
        Assert.Equal(ResponseCategory.Warning, response.Category);
        Assert.Equal("eln2020.milestone.12m", response.RuleIds[0]);
    }

    [Fact]
    public void Mirror_a_switch_for_resistance_is_a_new_line_counted_from_the_switch()
    {
        var patient = new Patient().Order("im", Imatinib, "2025-05-20", status: "stopped", end: "2026-03-12",
                extra: ""","statusReason":{"text":"resistance: loss of response"}""")
            .Order("da", Dasatinib, "2026-03-12").Is("2025-11-20", "0.9").Is("2026-05-20", "0.5");
        Assert.Equal(2, patient.History.Lines.Count);
        Assert.Equal(ChangeReason.Resistance, patient.History.Lines[1].SwitchReason);
        Assert.Equal(new DateOnly(2026, 3, 12), patient.History.CurrentLine!.Start);
        // 69 days on dasatinib: no milestone is in force yet, so no response card (nor a 12-month one from imatinib).
        Assert.Null(patient.Evaluate().Get<ResponseFinding>());
    }

    [Fact]
    public void A_switch_for_intolerance_is_read_from_the_coded_status_reason()
    {
        var patient = new Patient().Order("im", Imatinib, "2020-05-20", status: "stopped", end: "2022-03-12",
                extra: ""","statusReason":{"coding":[{"system":"http://snomed.info/sct","code":"59037007"}]}""")
            .Order("da", Dasatinib, "2022-03-12");
        Assert.Equal(ChangeReason.Intolerance, patient.History.Lines[1].SwitchReason);
    }

    [Fact]
    public void An_interruption_of_more_than_14_days_is_listed_on_the_response_card()
    {
        var patient = new Patient().Order("im1", Imatinib, "2025-05-20", status: "stopped", end: "2025-12-01")
            .Order("im2", Imatinib, "2026-01-05").Is("2025-11-20", "0.9").Is("2026-05-20", "0.5");
        var card = Assert.Single(patient.Cards(), c => c.Source.Topic!.Code == CardTopics.ResponseWarning.Code);
        Assert.Contains("2025-12-01 to 2026-01-05 (35 days)", card.Detail);
    }

    // 6. Two results on one day.

    [Fact]
    public void Two_results_on_one_day_in_different_levels_use_the_worse_whatever_the_ids_with_a_warning()
    {
        foreach (var (first, second) in new[] { ("0.06", "0.6"), ("0.6", "0.06") })
        {
            var patient = new Patient().Order("im", Imatinib, "2025-05-20").Is("2026-05-20", first).Is("2026-05-20", second);
            var response = patient.Evaluate().Get<ResponseFinding>()!;
            Assert.Equal(0.6m, response.Latest.Result.Percent);
            Assert.Equal(ResponseCategory.Warning, response.Category);
            var note = Assert.Single(patient.Evaluate().Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.SameDayDisagreement);
            Assert.Contains("0.6%", note.Message);
            Assert.Contains("0.06%", note.Message);
            Assert.True(note.Warning);
        }
    }

    [Fact]
    public void Mirror_two_results_on_one_day_in_the_same_level_need_no_note()
    {
        var patient = new Patient().Order("im", Imatinib, "2025-05-20").Is("2026-05-20", "0.06").Is("2026-05-20", "0.07");
        Assert.Equal(0.07m, patient.Evaluate().Get<ResponseFinding>()!.Latest.Result.Percent);
        Assert.Null(patient.Evaluate().Get<DataQualityFinding>());
    }

    // 7. Undetectable with too few control-gene copies is not evaluable.

    [Fact]
    public void Undetectable_with_600_ABL1_copies_is_not_evaluable_not_an_optimal_response()
    {
        // 3% at 8 months is a warning; read as MMR, the undetectable sample would have made it "optimal".
        var patient = new Patient().Order("im", Imatinib, "2025-05-20").Is("2026-01-20", "3")
            .Add(Fhir.NotDetected("nd", "2026-05-20", Fhir.Copies("abl1-copies", 600)));
        var evaluation = patient.Evaluate();
        Assert.Equal(3m, evaluation.Get<ResponseFinding>()!.Latest.Result.Percent);
        Assert.Equal(ResponseCategory.Warning, evaluation.Get<ResponseFinding>()!.Category);
        var quality = evaluation.Get<DataQualityFinding>()!;
        Assert.Equal(DataQualityCodes.SampleNotEvaluable, quality.LatestResultSetAside!.Code);
        var card = Assert.Single(patient.Cards(), c => c.Source.Topic!.Code == CardTopics.DataQuality.Code);
        Assert.Equal(Indicator.Warning, card.Indicator);
        Assert.Contains("repeat the test", card.Summary + card.Detail);
        Assert.DoesNotContain(patient.Cards(), c => c.Source.Topic!.Code == CardTopics.ResponseOptimal.Code);
    }

    [Fact]
    public void Mirror_undetectable_with_10000_ABL1_copies_is_still_MR4()
    {
        var patient = new Patient().Order("im", Imatinib, "2025-05-20").Add(Fhir.NotDetected("nd", "2026-05-20", Fhir.Copies("abl1-copies", 10_000)));
        var latest = patient.Evaluate().Get<ResponseFinding>()!.Latest;
        Assert.Equal(ResponseLevel.MR4, latest.Level);
        var card = Assert.Single(patient.Cards(), c => c.Source.Topic!.Code == CardTopics.ResponseOptimal.Code);
        Assert.Contains("undetectable (≤ 0.01% IS, MR4)", card.Summary);
        Assert.DoesNotContain("not detected%", card.Summary + card.Detail);
    }

    // 8. Undetectable without copies never counts as MR4 or deeper.

    [Fact]
    public void Undetectable_without_copies_counts_as_MMR_not_MR4_5_and_says_the_sensitivity_is_not_reported()
    {
        var patient = new Patient().Order("im", Imatinib, "2025-05-20").Undetectable("2026-05-20", "0.0032");
        var latest = patient.Evaluate().Get<ResponseFinding>()!.Latest;
        Assert.Equal(ResponseLevel.MMR, latest.Level);
        Assert.Contains(patient.Evaluate().Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.SensitivityNotReported);
    }

    [Fact]
    public void Mirror_undetectable_with_32000_ABL1_copies_is_MR4_5_without_a_note()
    {
        var patient = new Patient().Order("im", Imatinib, "2025-05-20").Undetectable("2026-05-20", "0.0032", Fhir.Copies("abl1-copies", 32_000));
        Assert.Equal(ResponseLevel.MR4_5, patient.Evaluate().Get<ResponseFinding>()!.Latest.Level);
        Assert.Null(patient.Evaluate().Get<DataQualityFinding>());
    }

    // Pregnancy is read for the rules that must act on it.

    private static Condition Pregnancy(string clinicalStatus) => Fhir.Parse<Condition>($$$"""
        {"resourceType":"Condition","id":"preg","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"{{{clinicalStatus}}}"}]},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"77386006"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2026-03-01"}
        """);

    private static string PregnancyStatus(string id, string date, string answer) => $$$"""
        {"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"82810-3"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"{{{date}}}","valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"{{{answer}}}"}]}}
        """;

    [Fact]
    public void An_active_pregnancy_condition_is_recorded()
    {
        var history = new Patient().Add(Pregnancy("active")).History;
        Assert.Equal(new DateOnly(2026, 3, 1), history.Pregnancy!.Date);
        Assert.Empty(history.Notes);
    }

    [Fact]
    public void Mirror_a_resolved_pregnancy_condition_is_not() => Assert.Null(new Patient().Add(Pregnancy("resolved")).History.Pregnancy);

    [Fact]
    public void The_latest_pregnancy_status_decides()
    {
        Assert.NotNull(new Patient().Observation(PregnancyStatus("s1", "2026-04-01", "LA15173-0")).History.Pregnancy);
        Assert.Null(new Patient().Observation(PregnancyStatus("s1", "2026-04-01", "LA15173-0")).Observation(PregnancyStatus("s2", "2026-05-01", "LA26683-5")).History.Pregnancy);
    }
}
