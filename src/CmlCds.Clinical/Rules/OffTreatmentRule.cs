using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Tfr;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Off TKI outside TFR (clinical specification §7). Rule ids <c>off-treatment</c>, <c>off-treatment.rising</c>,
/// <c>off-treatment.pregnancy</c>.
/// <para><b>When</b>: a CML diagnosis, no active TKI, the last line ended with an explicit stop on a known date, and it
/// is not a TFR attempt (the last result before the stop was not MR4 or deeper: toxicity, pregnancy, the patient's
/// choice). <b>Then</b>: a warning "off TKI since DATE, not a TFR stop", test monthly; when the latest result after
/// the stop is above 0.1% and higher than the one before it, critical: consider restarting TKI. With pregnancy
/// recorded no TKI order is suggested and the card says to discuss the options with the CML specialist.</para>
/// <para>Readings taken: "rising" compares the latest result after the stop with the result before it (after the stop,
/// else the last before it); with no result after the stop, the card says the first test is due a month after it.</para>
/// </summary>
public static class OffTreatmentRule
{
    public static OffTreatmentFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored, TfrEpisode? episode, DateOnly today)
    {
        if (!patient.HasCmlDiagnosis || patient.CurrentLine is not null || patient.Lines.Count == 0) return null;
        var line = patient.Lines[^1];
        if (line is not { ExplicitStop: true } || episode is not null) return null;
        // Reading taken: a stop without a date is still off treatment (no silent patient); results are read from the
        // last order's start, and it can be no TFR attempt since it cannot be placed.
        var stop = line.End;
        var from = stop ?? line.Orders.Max(o => o.Start);
        var before = stop is null ? null : scored.LastOrDefault(s => s.Date <= stop);
        var after = scored.Where(s => s.Date > from).ToList();
        var latest = after.LastOrDefault();
        var previous = after.Count >= 2 ? after[^2] : before;
        var rising = latest is not null && latest.EffectivePercent > ResponseLevels.Row(ResponseLevel.MMR).MaxPercent
            && (previous is null || latest.EffectivePercent > previous.EffectivePercent);
        var ids = new List<string> { "off-treatment" };
        if (rising) ids.Add("off-treatment.rising");
        if (patient.Pregnancy is not null) ids.Add("off-treatment.pregnancy");
        var reason = line.Orders.Where(o => o.Stopped).Select(o => o.StopReason).LastOrDefault(r => r != Therapy.ChangeReason.Unknown);
        var ruledOut = patient.Mutations.Where(m => m.AnyDetected).SelectMany(m => m.Mutations).Any(m => MutationResistanceTable.RulesOut(m, line.Drug));
        return new OffTreatmentFinding(line, stop, before, after, rising, patient.Pregnancy, stop is { } on ? ClinicalTime.CompletedCalendarMonths(on, today) : null)
        {
            RuleIds = ids,
            StopReason = reason,
            // Reading taken: a one-click restart of the same TKI only when nothing on the chart argues against it.
            RestartSameTki = patient.Pregnancy is null && reason == Therapy.ChangeReason.Unknown && !ruledOut,
        };
    }
}
