using CmlCds.Clinical.Patients;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Hooks.Tests.Mapping;

/// <summary>Kinase-domain mutation results in both coding styles of clinical specification §1.</summary>
public class MutationReadingTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static PatientHistory Map(string json) => PatientHistoryMapper.Map([Fhir.Parse<Observation>(json)], Today);

    [Theory]
    [InlineData("p.Thr315Ile", "T315I")]
    [InlineData("T315I", "T315I")]
    [InlineData("p.(Glu255Lys)", "E255K")]
    [InlineData("BCR::ABL1 Y253H detected", "Y253H")]
    [InlineData("F317L and p.Val299Leu", "F317L,V299L")]
    public void Protein_changes_are_normalised(string text, string expected) =>
        Assert.Equal(expected, string.Join(",", MutationMapper.Parse(text)));

    [Theory]
    [InlineData("p210 BCR-ABL1 e14a2")]
    [InlineData("ABL1")]
    public void Words_that_are_not_protein_changes_are_not_read_as_mutations(string text) => Assert.Empty(MutationMapper.Parse(text));

    [Fact]
    public void LOINC_55135_8_with_value_string()
    {
        var h = Map("""{"resourceType":"Observation","id":"kd","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55135-8"}]},"effectiveDateTime":"2026-01-05","valueString":"p.Thr315Ile"}""");
        var m = Assert.Single(h.Mutations);
        Assert.Equal(["T315I"], m.Mutations);
    }

    [Fact]
    public void Genomics_variant_with_gene_ABL1_and_component_48005_3()
    {
        var h = Map("""
            {"resourceType":"Observation","id":"v1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},"effectiveDateTime":"2026-01-05",
             "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4","display":"Present"}]},
             "component":[
               {"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org/geneId","code":"HGNC:76","display":"ABL1"}]}},
               {"code":{"coding":[{"system":"http://loinc.org","code":"48005-3"}]},"valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"p.Thr315Ile"}]}}]}
            """);
        Assert.Equal(["T315I"], Assert.Single(h.Mutations).Mutations);
    }

    [Fact]
    public void Variant_in_another_gene_is_not_an_ABL1_mutation()
    {
        var h = Map("""
            {"resourceType":"Observation","id":"v1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},"effectiveDateTime":"2026-01-05",
             "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueCodeableConcept":{"coding":[{"display":"ASXL1"}]}},
               {"code":{"coding":[{"system":"http://loinc.org","code":"48005-3"}]},"valueString":"p.Gly646fs"}]}
            """);
        Assert.Empty(h.Mutations);
        Assert.Empty(h.Notes);
    }

    [Fact]
    public void Variant_without_a_gene_is_noted()
    {
        var h = Map("""{"resourceType":"Observation","id":"v1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},"effectiveDateTime":"2026-01-05","valueString":"T315I"}""");
        Assert.Equal(DataQualityCodes.MutationUnreadable, Assert.Single(h.Notes).Code);
    }

    [Fact]
    public void No_mutation_detected_is_a_negative_result()
    {
        var h = Map("""{"resourceType":"Observation","id":"kd","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55135-8"}]},"effectiveDateTime":"2026-01-05","valueString":"No mutation detected"}""");
        Assert.False(Assert.Single(h.Mutations).AnyDetected);
    }

    [Fact]
    public void Unreadable_text_is_noted()
    {
        var h = Map("""{"resourceType":"Observation","id":"kd","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55135-8"}]},"effectiveDateTime":"2026-01-05","valueString":"see scanned report"}""");
        Assert.Equal(DataQualityCodes.MutationUnreadable, Assert.Single(h.Notes).Code);
    }
}

/// <summary>Only a set-aside BCR::ABL1 result may be announced as "the latest BCR::ABL1 result set aside".</summary>
public class SetAsideKindTests
{
    [Fact]
    public void A_future_dated_mutation_result_is_not_reported_as_a_set_aside_BCR_ABL1_result()
    {
        var resources = new CmlCds.Fhir.Model.Resource[]
        {
            Fhir.Cml(),
            Fhir.Tki("m1", Fhir.Atc("L01EA01"), "2025-01-01"),
            Fhir.BcrAbl1("o1", "2026-01-10", "0.5"),
            Fhir.Parse<Observation>("""{"resourceType":"Observation","id":"kd","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55135-8"}]},"effectiveDateTime":"2026-09-01","valueString":"T315I"}"""),
        };
        var history = PatientHistoryMapper.Map(resources, new DateOnly(2026, 6, 1));
        var quality = CmlCds.Clinical.Evaluation.CmlEvaluator.Evaluate(history, new(), new DateOnly(2026, 6, 1)).Get<CmlCds.Clinical.Evaluation.DataQualityFinding>()!;
        Assert.Contains(quality.Notes, n => n.Code == DataQualityCodes.FutureDate);
        Assert.Null(quality.LatestResultSetAside);
    }

    [Fact]
    public void A_future_dated_BCR_ABL1_result_is_reported_as_the_latest_set_aside()
    {
        var resources = new CmlCds.Fhir.Model.Resource[] { Fhir.Cml(), Fhir.Tki("m1", Fhir.Atc("L01EA01"), "2025-01-01"), Fhir.BcrAbl1("o1", "2026-01-10", "0.5"), Fhir.BcrAbl1("o2", "2026-09-01", "0.5") };
        var history = PatientHistoryMapper.Map(resources, new DateOnly(2026, 6, 1));
        var quality = CmlCds.Clinical.Evaluation.CmlEvaluator.Evaluate(history, new(), new DateOnly(2026, 6, 1)).Get<CmlCds.Clinical.Evaluation.DataQualityFinding>()!;
        Assert.Equal("Observation/o2", quality.LatestResultSetAside?.SourceId);
    }
}
