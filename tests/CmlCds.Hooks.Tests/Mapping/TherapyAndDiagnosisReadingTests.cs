using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Hooks.Tests.Mapping;

public class TherapyAndDiagnosisReadingTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static PatientHistory Map(params Resource[] resources) => PatientHistoryMapper.Map(resources, Today);

    [Theory]
    [InlineData("L01EA01", Tki.Imatinib)]
    [InlineData("L01EA02", Tki.Dasatinib)]
    [InlineData("L01EA03", Tki.Nilotinib)]
    [InlineData("L01EA04", Tki.Bosutinib)]
    [InlineData("L01EA05", Tki.Ponatinib)]
    [InlineData("L01EA06", Tki.Asciminib)]
    public void ATC_codes_identify_the_TKI(string atc, Tki drug)
    {
        var h = Map(Fhir.Tki("m1", Fhir.Atc(atc), "2025-01-01"));
        Assert.Equal(drug, Assert.Single(h.TkiOrders).Drug);
        Assert.Empty(h.Notes);
    }

    [Fact]
    public void RxNorm_ingredient_identifies_the_TKI() =>
        Assert.Equal(Tki.Dasatinib, Assert.Single(Map(Fhir.Tki("m1", """{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"475342"}]}""", "2025-01-01")).TkiOrders).Drug);

    [Fact]
    public void Brand_name_in_text_identifies_the_TKI_with_a_note()
    {
        var h = Map(Fhir.Tki("m1", """{"text":"Tasigna 150 mg capsule"}""", "2025-01-01"));
        Assert.Equal(Tki.Nilotinib, Assert.Single(h.TkiOrders).Drug);
        Assert.Equal(DataQualityCodes.MedicationMatchedByName, Assert.Single(h.Notes).Code);
    }

    [Fact]
    public void Other_medications_are_passed_over() =>
        Assert.Empty(Map(Fhir.Tki("m1", """{"text":"allopurinol 300 mg"}""", "2025-01-01")).TkiOrders);

    [Theory]
    [InlineData("draft")]
    [InlineData("cancelled")]
    [InlineData("entered-in-error")]
    public void Orders_never_given_are_set_aside(string status)
    {
        var h = Map(Fhir.Tki("m1", Fhir.Atc("L01EA01"), "2025-01-01", status));
        Assert.Empty(h.TkiOrders);
        Assert.Equal(DataQualityCodes.MedicationStatusNotUsed, Assert.Single(h.Notes).Code);
    }

    [Fact]
    public void Stopped_order_ends_at_its_bounds_period_end()
    {
        var order = Assert.Single(Map(Fhir.Tki("m1", Fhir.Atc("L01EA01"), "2020-01-01", "stopped", "2025-03-01")).TkiOrders);
        Assert.True(order.Ended);
        Assert.Equal(new DateOnly(2025, 3, 1), order.End);
    }

    [Fact]
    public void Medication_statement_period_is_read()
    {
        var ms = Fhir.Parse<MedicationStatement>("""
            {"resourceType":"MedicationStatement","id":"s1","status":"completed","medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA03"}]},
             "effectivePeriod":{"start":"2018-02-01","end":"2023-06-30"}}
            """);
        var order = Assert.Single(Map(ms).TkiOrders);
        Assert.Equal((Tki.Nilotinib, new DateOnly(2018, 2, 1), new DateOnly(2023, 6, 30)), (order.Drug, order.Start, order.End!.Value));
    }

    [Fact]
    public void Medication_reference_is_resolved_against_an_included_Medication()
    {
        var med = Fhir.Parse<Resource>("""{"resourceType":"Medication","id":"med1","code":{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA04"}]}}""");
        var mr = Fhir.Parse<MedicationRequest>("""{"resourceType":"MedicationRequest","id":"m1","status":"active","medicationReference":{"reference":"Medication/med1"},"authoredOn":"2025-01-01"}""");
        Assert.Equal(Tki.Bosutinib, Assert.Single(Map(mr, med).TkiOrders).Drug);
    }

    [Fact]
    public void Order_without_start_date_is_set_aside()
    {
        var mr = Fhir.Parse<MedicationRequest>("""{"resourceType":"MedicationRequest","id":"m1","status":"active","medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"L01EA01"}]}}""");
        Assert.Equal(DataQualityCodes.MedicationNoStart, Assert.Single(Map(mr).Notes).Code);
    }

    [Theory]
    [InlineData("http://snomed.info/sct", "92818009")]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C92.10")]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C92.11")]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C92.12")]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "C92.1")]
    public void CML_diagnosis_codes(string system, string code) => Assert.True(Map(Fhir.Cml(system: system, code: code)).HasCmlDiagnosis);

    [Fact]
    public void Other_leukemia_is_not_CML() => Assert.False(Map(Fhir.Cml(system: "http://hl7.org/fhir/sid/icd-10-cm", code: "C91.00")).HasCmlDiagnosis);

    [Theory]
    [InlineData("Chronic phase", Phase.Chronic)]
    [InlineData("accelerated phase", Phase.Accelerated)]
    [InlineData("Blast crisis", Phase.Blast)]
    [InlineData("", Phase.Unknown)]
    public void Phase_is_read_from_the_stage_summary_text(string text, Phase phase) => Assert.Equal(phase, Map(Fhir.Cml(text)).CurrentPhase);

    [Fact]
    public void Refuted_CML_diagnosis_is_not_used()
    {
        var c = Fhir.Parse<Condition>("""
            {"resourceType":"Condition","id":"c1","verificationStatus":{"coding":[{"code":"refuted"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"92818009"}]}}
            """);
        var h = Map(c);
        Assert.False(h.HasCmlDiagnosis);
        Assert.Equal(DataQualityCodes.ConditionNotConfirmed, Assert.Single(h.Notes).Code);
    }

    [Fact]
    public void Birth_date_is_read() =>
        Assert.Equal(new DateOnly(1968, 4, 12), Map(Fhir.Parse<Patient>("""{"resourceType":"Patient","id":"p","birthDate":"1968-04-12"}""")).BirthDate);
}
