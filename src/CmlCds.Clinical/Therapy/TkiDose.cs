using System.Globalization;

namespace CmlCds.Clinical.Therapy;

/// <summary>
/// A TKI dose as the order states it (clinical specification §11): <c>dosageInstruction.doseAndRate.doseQuantity</c> in mg
/// and the timing's frequency. Read only when both are there and unambiguous; otherwise the order has no dose and
/// nothing is inferred from it.
/// </summary>
/// <param name="MgPerDose">mg per administration.</param>
/// <param name="DosesPerDay">Administrations a day (twice daily = 2; every other day = 0.5).</param>
public sealed record TkiDose(decimal MgPerDose, decimal DosesPerDay)
{
    public decimal DailyMg => MgPerDose * DosesPerDay;

    /// <summary>"45 mg once daily", "40 mg twice daily", "100 mg 3 times a day".</summary>
    public string Shown
    {
        get
        {
            var mg = MgPerDose.ToString("0.##", CultureInfo.InvariantCulture);
            return DosesPerDay switch
            {
                1 => $"{mg} mg once daily",
                2 => $"{mg} mg twice daily",
                _ when DosesPerDay > 0 && DosesPerDay < 1 && decimal.Round(1 / DosesPerDay, 4) is var every && every == decimal.Truncate(every) => $"{mg} mg every {every:0} days",
                _ => $"{mg} mg {DosesPerDay.ToString("0.##", CultureInfo.InvariantCulture)} times a day",
            };
        }
    }
}
