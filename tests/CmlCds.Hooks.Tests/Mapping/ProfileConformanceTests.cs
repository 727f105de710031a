using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Service;

namespace CmlCds.Hooks.Tests.Mapping;

/// <summary>
/// The mapping and the profiles share their ValueSets, and a resource the mapping uses is checked against its
/// profile: violations are notes naming the element, the resource is still used.
/// </summary>
public class ProfileConformanceTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static PatientHistory Map(params Resource[] resources) => PatientHistoryMapper.Map(resources, Today);

    [Fact]
    public void Every_TKI_has_an_ATC_code_in_the_ValueSet_and_RxNorm_lists_every_one_but_asciminib()
    {
        Assert.Equal(Enum.GetValues<Tki>().Order(), Codes.TkiByAtc.Values.Order());
        Assert.Equal(Enum.GetValues<Tki>().Where(t => t != Tki.Asciminib).Order(), Codes.TkiByRxNorm.Values.Order());
        Assert.All(Codes.TkiByAtc.Keys, code => Assert.True(Codes.TkiMedications.Contains(Codes.Atc, code)));
    }

    [Fact]
    public void The_single_codes_the_service_writes_or_tells_apart_are_in_their_ValueSets()
    {
        Assert.True(Codes.BcrAbl1Is.Contains(Codes.Loinc, Codes.BcrAbl1International));
        Assert.True(Codes.BcrAbl1NonIs.Contains(Codes.Loinc, Codes.BcrAbl1E1a2));
        Assert.True(Codes.KdMutation.Contains(Codes.Loinc, Codes.MutationAnalysis));
        Assert.True(Codes.KdMutation.Contains(Codes.Loinc, Codes.GenomicVariant));
        Assert.Equal(["<", "<="], Codes.ScorableComparators.Concepts.Select(c => c.Code));
        Assert.All(Codes.CmlPhases.Concepts, c => Assert.Equal(Codes.PhaseSystem, c.System));
    }

    [Fact]
    public void The_BCR_ABL1_prefetch_template_asks_for_every_code_of_the_two_ValueSets()
    {
        var template = CmlMonitoringService.PrefetchKeys.Single(k => k.Key == "bcrAbl1").Template;
        foreach (var c in Codes.BcrAbl1Is.Concepts.Concat(Codes.BcrAbl1NonIs.Concepts))
            Assert.Contains($"{c.System}|{c.Code}", template);
        var mutations = CmlMonitoringService.PrefetchKeys.Single(k => k.Key == "mutations").Template;
        Assert.All(Codes.KdMutation.Concepts, c => Assert.Contains($"{c.System}|{c.Code}", mutations));
    }

    [Fact]
    public void Every_transcript_type_code_reads_as_a_transcript()
    {
        Assert.All(Codes.TranscriptTypes.Concepts, c => Assert.NotEqual(Transcript.Unknown, ObservationMapper.ParseTranscript(c.Code)));
        Assert.Equal(Transcript.E14a2, ObservationMapper.ParseTranscript("e14a2"));
    }

    [Theory]
    [InlineData("chronic", Phase.Chronic)]
    [InlineData("accelerated", Phase.Accelerated)]
    [InlineData("blast", Phase.Blast)]
    public void A_phase_coded_from_the_phase_ValueSet_is_read_without_display_or_text(string code, Phase phase)
    {
        var condition = Fhir.Parse<Condition>($$$"""
            {"resourceType":"Condition","id":"cml","code":{"coding":[{"system":"http://snomed.info/sct","code":"92818009"}]},
             "subject":{"reference":"Patient/p1"},"onsetDateTime":"2023-12-01",
             "stage":[{"summary":{"coding":[{"system":"http://cmlcds.org/fhir/CodeSystem/cml-phase","code":"{{{code}}}"}]}}]}
            """);
        var h = Map(condition);
        Assert.Equal(phase, Assert.Single(h.Diagnoses).Phase);
        Assert.Empty(h.Notes);
    }

    [Fact]
    public void A_result_in_unit_text_is_used_and_the_missing_UCUM_coding_is_noted_naming_the_profile_elements()
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.05", unitJson: "\"unit\":\"% IS\""));
        Assert.Single(h.Results);
        Assert.All(h.Notes, n =>
        {
            Assert.Equal(DataQualityCodes.ProfileCardinality, n.Code);
            Assert.False(n.SetAside);
            Assert.Equal("Observation/o1", n.SourceId);
            Assert.Equal(new DateOnly(2026, 1, 10), n.Date);
            Assert.Contains("BCR::ABL1 %IS result profile", n.Message);
        });
        Assert.Equal(2, h.Notes.Count);
        Assert.Contains(h.Notes, n => n.Message.Contains("Observation.value[x]:valueQuantity.system is missing"));
        Assert.Contains(h.Notes, n => n.Message.Contains("Observation.value[x]:valueQuantity.code is missing"));
    }

    [Fact]
    public void A_used_result_without_a_subject_is_noted_and_still_counts()
    {
        var o = Fhir.BcrAbl1("o1", "2026-01-10", "0.05");
        o.Subject = null;
        var h = Map(o);
        Assert.Single(h.Results);
        var note = Assert.Single(h.Notes);
        Assert.Equal((DataQualityCodes.ProfileCardinality, false), (note.Code, note.SetAside));
        Assert.Contains("Observation.subject", note.Message);
    }

    [Fact]
    public void A_result_set_aside_keeps_its_one_specific_reason_without_profile_notes()
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.05", unitJson: "\"unit\":\"mg/L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/L\""));
        Assert.Empty(h.Results);
        var note = Assert.Single(h.Notes);
        Assert.Equal(DataQualityCodes.UnknownUnit, note.Code);
    }

    [Fact]
    public void A_TKI_named_in_text_gets_the_by_name_note_not_a_binding_note_too()
    {
        var h = Map(Fhir.Tki("m1", """{"text":"Sprycel 100 mg"}""", "2025-01-01"));
        Assert.Equal(Tki.Dasatinib, Assert.Single(h.TkiOrders).Drug);
        Assert.Equal(DataQualityCodes.MedicationMatchedByName, Assert.Single(h.Notes).Code);
    }

    [Fact]
    public void Conformant_resources_of_every_profile_give_no_note()
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.05"), Fhir.NotDetected("o2", "2026-03-10"), Fhir.Cml(),
            Fhir.Tki("m1", Fhir.Atc("L01EA01"), "2025-01-01"));
        Assert.Equal(2, h.Results.Count);
        Assert.Empty(h.Notes);
    }
}
