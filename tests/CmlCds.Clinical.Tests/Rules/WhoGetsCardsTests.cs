using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Tests.Rules;

/// <summary>clinical specification §9.</summary>
public class WhoGetsCardsTests
{
    [Fact]
    public void No_CML_diagnosis_and_no_result_gives_no_findings() =>
        Assert.Empty(CmlEvaluator.Evaluate(new PatientHistory(), new EvaluationSettings(), new DateOnly(2026, 6, 1)).Findings);

    [Fact]
    public void Results_without_a_CML_diagnosis_give_a_data_quality_note_and_no_milestone()
    {
        var e = Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.05m).WithoutCmlDiagnosis().Evaluate();
        Assert.Null(e.Get<ResponseFinding>());
        Assert.Contains(e.Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.NoCmlDiagnosis);
    }

    [Fact]
    public void Atypical_transcript_gives_no_milestone_card_and_explains_why()
    {
        var e = Chart.OnImatinibSince("2025-01-01").AtDay(365, 3m).WithTranscript(Transcript.E1a2).Evaluate();
        Assert.Null(e.Get<ResponseFinding>());
        Assert.Contains(e.Get<DataQualityFinding>()!.Notes, n => n.Code == DataQualityCodes.AtypicalTranscript);
    }

    [Fact]
    public void Typical_transcript_is_assessed() =>
        Assert.NotNull(Chart.OnImatinibSince("2025-01-01").AtDay(365, 3m).WithTranscript(Transcript.E14a2).Response());

    [Fact]
    public void CML_patient_without_results_gets_no_response_finding() =>
        Assert.Null(Chart.OnImatinibSince("2025-01-01").Response());

    [Fact]
    public void A_set_aside_result_newer_than_the_latest_valid_one_is_flagged()
    {
        var history = Chart.OnImatinibSince("2025-01-01").AtDay(365, 0.05m).History;
        var withNote = new PatientHistory
        {
            Diagnoses = history.Diagnoses, Results = history.Results, TkiOrders = history.TkiOrders, BcrAbl1ResultsSeen = 2,
            Notes = [new DataQualityNote(DataQualityCodes.NotInternationalScale, "Observation/late", Chart.D("2026-02-01"), "non-IS", BcrAbl1Result: true)],
        };
        var finding = CmlEvaluator.Evaluate(withNote, new EvaluationSettings(), new DateOnly(2026, 6, 1)).Get<DataQualityFinding>()!;
        Assert.Equal("Observation/late", finding.LatestResultSetAside?.SourceId);
    }
}
