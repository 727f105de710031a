using CmlCds.Clinical.Patients;
using CmlCds.Fhir;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>Reads CML diagnoses (SNOMED CT 92818009, ICD-10-CM C92.10/11/12, ICD-10 C92.1) and their phase (clinical specification §1).</summary>
internal static class ConditionMapper
{
    public static bool IsCml(Condition c) => c.Code.AnyIn(Codes.CmlDiagnosis);

    public static CmlDiagnosis? Read(Condition c, List<DataQualityNote> notes)
    {
        var verification = c.VerificationStatus?.Coding?.FirstOrDefault()?.Code;
        if (verification is "entered-in-error" or "refuted")
        {
            notes.Add(new DataQualityNote(DataQualityCodes.ConditionNotConfirmed, c.LocalReference, null, $"CML diagnosis marked {verification}: not used."));
            return null;
        }
        var dateText = c.OnsetDateTime ?? c.OnsetPeriod?.Start ?? c.RecordedDate;
        DateOnly? date = FhirDate.TryParse(dateText, out var d, out _) ? d : null;
        return new CmlDiagnosis(c.LocalReference, date, PhaseOf(c));
    }

    /// <summary>
    /// Phase from <c>stage.summary</c>: a code of the CML phase ValueSet, or any coding display or text naming blast,
    /// accelerated or chronic (clinical specification §1: text match is accepted). The most advanced phase named wins.
    /// </summary>
    internal static Phase PhaseOf(Condition c)
    {
        var phase = Phase.Unknown;
        foreach (var stage in c.Stage ?? [])
        {
            var texts = (stage.Summary?.Coding?.Select(x => Codes.CmlPhases.Contains(x.System, x.Code) ? x.Code : x.Display) ?? []).Append(stage.Summary?.Text);
            foreach (var text in texts)
            {
                if (text is null) continue;
                var p = text.Contains("blast", StringComparison.OrdinalIgnoreCase) ? Phase.Blast
                    : text.Contains("accelerated", StringComparison.OrdinalIgnoreCase) ? Phase.Accelerated
                    : text.Contains("chronic", StringComparison.OrdinalIgnoreCase) ? Phase.Chronic
                    : Phase.Unknown;
                if (p > phase) phase = p;
            }
        }
        return phase;
    }
}
