using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Hooks.Tests.Mapping;

/// <summary>clinical specification §1 reading rules: what is used, and what is set aside with which code.</summary>
public class ObservationReadingTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static PatientHistory Map(params Resource[] resources) => PatientHistoryMapper.Map(resources, Today);

    private static DataQualityNote SetAside(PatientHistory h) => Assert.Single(h.Notes, n => n.SetAside);

    [Fact]
    public void UCUM_percent_result_is_read_with_the_labs_scale()
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.0850"));
        var r = Assert.Single(h.Results);
        Assert.Equal("0.0850", r.Display);
        Assert.Equal(new DateOnly(2026, 1, 10), r.Date);
        Assert.Equal("Observation/o1", r.SourceId);
        Assert.Empty(h.Notes);
    }

    [Theory]
    [InlineData("\"unit\":\"%\"")]
    [InlineData("\"unit\":\"% IS\"")]
    [InlineData("\"unit\":\"%IS\"")]
    public void Percent_unit_text_is_accepted(string unit) => Assert.Single(Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.5", unitJson: unit)).Results);

    [Theory]
    [InlineData("\"unit\":\"ratio\"")]
    [InlineData("\"unit\":\"copies/copies\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"{ratio}\"")]
    [InlineData("\"system\":\"http://unitsofmeasure.org\"")]
    [InlineData("\"unit\":\"%\",\"system\":\"http://example.org/units\",\"code\":\"%\"")]
    public void Other_units_are_set_aside(string unit)
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.5", unitJson: unit));
        Assert.Empty(h.Results);
        Assert.Equal(DataQualityCodes.UnknownUnit, SetAside(h).Code);
    }

    [Theory]
    [InlineData("<", ResultComparator.LessThan)]
    [InlineData("<=", ResultComparator.LessOrEqual)]
    public void Less_than_comparator_means_undetectable_below_the_value(string comparator, ResultComparator expected)
    {
        var r = Assert.Single(Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.0032", comparator)).Results);
        Assert.Equal(expected, r.Comparator);
        Assert.True(r.IsUndetectable);
    }

    [Theory]
    [InlineData(">")]
    [InlineData(">=")]
    public void Greater_than_comparator_is_set_aside(string comparator) =>
        Assert.Equal(DataQualityCodes.UnsupportedComparator, SetAside(Map(Fhir.BcrAbl1("o1", "2026-01-10", "10", comparator))).Code);

    [Fact]
    public void Not_detected_is_read_with_its_copies()
    {
        var r = Assert.Single(Map(Fhir.NotDetected("o1", "2026-01-10", Fhir.Copies("abl1-copies", 52_000))).Results);
        Assert.True(r.NotDetected);
        Assert.Null(r.Percent);
        Assert.Equal(52_000, r.Abl1Copies);
    }

    [Fact]
    public void GUSB_copies_are_read() =>
        Assert.Equal(80_000, Assert.Single(Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.003", "<", components: Fhir.Copies("gusb-copies", 80_000))).Results).GusbCopies);

    [Theory]
    [InlineData("amended")]
    [InlineData("corrected")]
    public void Amended_and_corrected_results_are_used(string status) => Assert.Single(Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.5", status: status)).Results);

    [Theory]
    [InlineData("preliminary", DataQualityCodes.StatusNotFinal)]
    [InlineData("registered", DataQualityCodes.StatusNotFinal)]
    [InlineData("cancelled", DataQualityCodes.StatusNotFinal)]
    [InlineData("entered-in-error", DataQualityCodes.EnteredInError)]
    public void Other_statuses_are_set_aside(string status, string code) =>
        Assert.Equal(code, SetAside(Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.5", status: status))).Code);

    [Theory]
    [InlineData("46434-7")]
    [InlineData("55147-3")]
    public void Non_IS_codes_are_set_aside_and_shown_with_their_date(string code)
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.5", code: code));
        var note = SetAside(h);
        Assert.Equal(DataQualityCodes.NotInternationalScale, note.Code);
        Assert.Equal(new DateOnly(2026, 1, 10), note.Date);
        Assert.Equal(1, h.BcrAbl1ResultsSeen);
    }

    [Fact]
    public void E1a2_result_marks_the_transcript_atypical()
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.5", code: "52132-8"));
        Assert.Equal(DataQualityCodes.AtypicalTranscript, SetAside(h).Code);
        Assert.True(h.HasAtypicalTranscript);
    }

    [Fact]
    public void Future_date_is_set_aside() =>
        Assert.Equal(DataQualityCodes.FutureDate, SetAside(Map(Fhir.BcrAbl1("o1", "2026-06-02", "0.5"))).Code);

    [Fact]
    public void Today_is_not_the_future() => Assert.Single(Map(Fhir.BcrAbl1("o1", "2026-06-01T23:59:00+02:00", "0.5")).Results);

    [Fact]
    public void Date_without_day_is_set_aside() =>
        Assert.Equal(DataQualityCodes.ImpreciseDate, SetAside(Map(Fhir.BcrAbl1("o1", "2026-01", "0.5"))).Code);

    [Fact]
    public void Issued_is_the_date_when_effective_is_missing()
    {
        var o = Fhir.Parse<Observation>("""
            {"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]},
             "issued":"2026-02-03T08:00:00Z","valueQuantity":{"value":0.5,"unit":"%"}}
            """);
        Assert.Equal(new DateOnly(2026, 2, 3), Assert.Single(Map(o).Results).Date);
    }

    [Fact]
    public void Value_as_string_is_set_aside()
    {
        var o = Fhir.Parse<Observation>("""
            {"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]},
             "effectiveDateTime":"2026-02-03","valueString":"<0.0032%"}
            """);
        Assert.Equal(DataQualityCodes.NoValue, SetAside(Map(o)).Code);
    }

    [Fact]
    public void Unknown_choice_type_is_set_aside_naming_the_element()
    {
        var o = Fhir.Parse<Observation>("""
            {"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69380-4"}]},
             "effectiveDateTime":"2026-02-03","valueQuantity":{"value":0.5,"unit":"%"},"valueMoney":{"value":1}}
            """);
        var note = SetAside(Map(o));
        Assert.Equal(DataQualityCodes.InvalidFhir, note.Code);
        Assert.Contains("Observation.valueMoney", note.Message);
    }

    [Theory]
    [InlineData("e1a2", Transcript.E1a2)]
    [InlineData("e14a2", Transcript.E14a2)]
    [InlineData("b2a2", Transcript.E13a2)]
    [InlineData("e19a2", Transcript.Other)]
    public void Transcript_type_component_is_read(string value, Transcript expected)
    {
        var components = $$$""","component":[{"code":{"coding":[{"system":"http://cmlcds.org/fhir/CodeSystem/observation-component","code":"transcript-type"}]},"valueCodeableConcept":{"text":"{{{value}}}"}}]""";
        Assert.Equal(expected, Map(Fhir.BcrAbl1("o1", "2026-01-10", "0.5", components: components)).Transcript);
    }

    [Fact]
    public void The_same_resource_in_two_keys_is_read_once()
    {
        var o = Fhir.BcrAbl1("o1", "2026-01-10", "0.5");
        Assert.Single(Map(o, Fhir.BcrAbl1("o1", "2026-01-10", "0.5")).Results);
    }

    [Fact]
    public void Unrelated_observation_is_noted_not_dropped()
    {
        var h = Map(Fhir.BcrAbl1("o1", "2026-01-10", "5.1", code: "2345-7"));
        Assert.Equal(DataQualityCodes.UnrecognisedCode, SetAside(h).Code);
        Assert.Equal(0, h.BcrAbl1ResultsSeen);
    }
}
