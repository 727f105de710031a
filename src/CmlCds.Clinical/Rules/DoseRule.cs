using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>
/// Dose rules (clinical specification §11), on the dose of the current line's latest order (<see cref="TherapyLine.CurrentDose"/>).
/// Rule ids <c>dose.ponatinib-reduce</c>, <c>dose.asciminib-t315i</c>.
/// <list type="bullet">
/// <item>Ponatinib above 15 mg daily with the latest valid result on the line ≤ 1% → info, "consider reducing ponatinib
/// to 15 mg daily" (PDQ: 45 mg start, 15 mg once ≤ 1% is reached; Cortes 2021).</item>
/// <item>Asciminib with T315I detected on file at less than 200 mg twice daily → warning, "the asciminib dose for T315I is
/// 200 mg twice daily" (label section 2).</item>
/// <item>An unreadable dose infers nothing: no card.</item>
/// </list>
/// Readings taken where the specification is silent: the ponatinib reduction is not suggested in accelerated or blast phase
/// (the 15 mg step is the chronic-phase schedule), nor when a BCR::ABL1 result later than the latest valid one was set
/// aside (the newest test may not be ≤ 1%), nor after a re-escalation (an earlier order of the line at or below 15 mg
/// daily followed by a higher one: the label keeps the re-escalated dose). "Less than 200 mg twice daily" is any dose with under 200 mg a dose or under
/// two doses a day (400 mg once daily is not the T315I schedule).
/// </summary>
public static class DoseRule
{
    public const decimal PonatinibMaintenanceMg = 15;
    public const decimal PonatinibReduceAtOrBelowPercent = 1;
    public const decimal AsciminibT315IMgPerDose = 200;
    public const decimal AsciminibT315IDosesPerDay = 2;

    public static DoseFinding? Evaluate(PatientHistory patient, IReadOnlyList<ScoredResult> scored)
    {
        if (!patient.HasCmlDiagnosis || patient.CurrentLine is not { CurrentDose: { } dose } line) return null;
        switch (line.Drug)
        {
            case Tki.Ponatinib when dose.DailyMg > PonatinibMaintenanceMg && patient.CurrentPhase is not (Phase.Accelerated or Phase.Blast):
                var latest = scored.LastOrDefault(s => s.Date >= line.Start);
                if (latest is null || latest.Level < ResponseLevel.MR2) return null;
                if (patient.Notes.Any(n => n.BcrAbl1Result && n.SetAside && n.Date > latest.Date)) return null;
                if (ReEscalated(line)) return null;
                return new DoseFinding(DoseConcern.PonatinibAboveMaintenance, line, dose, latest, null) { RuleIds = ["dose.ponatinib-reduce"] };
            case Tki.Asciminib when dose.MgPerDose < AsciminibT315IMgPerDose || dose.DosesPerDay < AsciminibT315IDosesPerDay:
                var t315i = patient.Mutations.LastOrDefault(m => m.Mutations.Contains(MutationResistanceTable.T315I));
                return t315i is null ? null
                    : new DoseFinding(DoseConcern.AsciminibBelowT315IDose, line, dose, null, t315i) { RuleIds = ["dose.asciminib-t315i"] };
            default:
                return null;
        }
    }

    /// <summary>
    /// An earlier order of the line had a readable dose at or below 15 mg daily and a later one is higher: the dose was
    /// re-escalated after a loss of response at 15 mg, and the label keeps the re-escalated dose.
    /// </summary>
    private static bool ReEscalated(TherapyLine line)
    {
        var orders = line.Orders.OrderBy(o => o.Start).ThenBy(o => !o.Ended).ThenBy(o => o.SourceId, StringComparer.Ordinal).ToList();
        var reduced = orders.FindIndex(o => o.Dose is { } d && d.DailyMg <= PonatinibMaintenanceMg);
        return reduced >= 0 && orders.Skip(reduced + 1).Any(o => o.Dose is { } d && d.DailyMg > PonatinibMaintenanceMg);
    }
}
