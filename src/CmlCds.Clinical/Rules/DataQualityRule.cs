using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Everything that was set aside or used with a caveat (RULES.md §1, §9).
/// <para><b>When</b>: any note from reading the chart; any undetectable result scored shallower than its value
/// because of too few control-gene copies; an atypical transcript (IS milestones do not apply); BCR::ABL1 results
/// without a CML diagnosis on file (milestones not evaluated: the safer reading, since Ph+ ALL is also monitored
/// by BCR::ABL1).</para>
/// <para><b>Then</b>: one <c>data-quality</c> finding listing every note with its code.</para>
/// </summary>
public static class DataQualityRule
{
    public const string RuleId = "data-quality";

    public static DataQualityFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored)
    {
        var notes = new List<DataQualityNote>(patient.Notes);
        foreach (var s in scored)
            if (s.SensitivityNote is { } text)
                notes.Add(new DataQualityNote(DataQualityCodes.InsufficientSensitivity, s.Result.SourceId, s.Date, text, SetAside: false));
        if (patient.HasAtypicalTranscript)
            notes.Add(new DataQualityNote(DataQualityCodes.AtypicalTranscript, null, null,
                $"Transcript {patient.Transcript}: International Scale milestones do not apply; no milestone assessment is made.", SetAside: false));
        if (!patient.HasCmlDiagnosis && patient.BcrAbl1ResultsSeen > 0)
            notes.Add(new DataQualityNote(DataQualityCodes.NoCmlDiagnosis, null, null,
                "BCR::ABL1 results are on file but no CML diagnosis is: CML milestones were not evaluated.", SetAside: false));
        return notes.Count == 0 ? null : new DataQualityFinding(notes) { RuleIds = [RuleId] };
    }
}
