using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Everything that was set aside or used with a caveat (clinical specification §1, §9).
/// <para><b>When</b>: any note from reading the chart; any undetectable result scored shallower than its value
/// because of too few control-gene copies; an atypical transcript (IS milestones do not apply); BCR::ABL1 results
/// without a CML diagnosis on file (milestones not evaluated: the safer reading, since Ph+ ALL is also monitored
/// by BCR::ABL1).</para>
/// <para><b>Then</b>: one <c>data-quality</c> finding listing every note with its code. When a BCR::ABL1 result
/// newer than the latest valid one was set aside, the finding says so (the card becomes a warning and the response
/// card points to it): the assessment does not reflect the most recent test.</para>
/// </summary>
public static class DataQualityRule
{
    public const string RuleId = "data-quality";

    public static DataQualityFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored)
    {
        var notes = new List<DataQualityNote>(patient.Notes);
        notes.AddRange(patient.Series.Notes);
        if (patient.HasAtypicalTranscript)
            notes.Add(new DataQualityNote(DataQualityCodes.AtypicalTranscript, null, null,
                $"Transcript {patient.Transcript.Name()} reported: International Scale milestones do not apply; no milestone assessment is made.", SetAside: false));
        if (patient.CoexpressedAtypical is { } atypical)
            notes.Add(new DataQualityNote(DataQualityCodes.AtypicalTranscriptCoexpressed, null, null,
                $"Transcript {atypical.Name()} reported beside the typical {patient.Transcript.Name()}: milestones are applied to the International Scale results; confirm with the laboratory that the assay quantifies the transcript.", SetAside: false));
        if (patient.HasCmlDiagnosis && patient.CurrentLine is null && patient.Lines.Count > 0 && patient.Lines[^1].End is null)
            notes.Add(new DataQualityNote(DataQualityCodes.MedicationNoEnd, patient.Lines[^1].Orders[^1].SourceId, null,
                "The last TKI line is over but has no end date: treatment-free remission cannot be placed or scheduled; confirm when the TKI was stopped.", SetAside: false, Warning: true));
        if (patient.CurrentLine is { LapsedSince: { } lapsed } line)
            notes.Add(new DataQualityNote(DataQualityCodes.MedicationNoActiveOrder, line.Orders[^1].SourceId, lapsed,
                $"No active {TkiNames.Name(line.Drug)} order since {MolecularResponseRule.FormatDate(lapsed)}: confirm the patient is taking it. Read as still on {TkiNames.Name(line.Drug)}, not as a stop.",
                SetAside: false, Warning: true));
        if (!patient.HasCmlDiagnosis && patient.BcrAbl1ResultsSeen > 0)
            notes.Add(new DataQualityNote(DataQualityCodes.NoCmlDiagnosis, null, null,
                "BCR::ABL1 results are on file but no CML diagnosis is: CML milestones were not evaluated.", SetAside: false));
        if (notes.Count == 0) return null;
        // Listed by date, then reason and words: the same however the resources were named or ordered.
        notes = notes.OrderBy(n => n.Date ?? DateOnly.MaxValue).ThenBy(n => n.Code, StringComparer.Ordinal)
            .ThenBy(n => n.Message, StringComparer.Ordinal).ThenBy(n => n.SourceId, StringComparer.Ordinal).ToList();
        var lastValid = scored.Count > 0 ? scored[^1].Date : DateOnly.MinValue;
        var newer = notes.Where(n => n.SetAside && n.BcrAbl1Result && n.Date > lastValid)
            .OrderBy(n => n.Date).ThenBy(n => n.Code, StringComparer.Ordinal).LastOrDefault();
        return new DataQualityFinding(notes, newer) { RuleIds = newer is null ? [RuleId] : [RuleId, RuleId + ".latest-set-aside"] };
    }
}
