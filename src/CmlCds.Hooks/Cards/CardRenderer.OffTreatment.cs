using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Therapy;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    /// <summary>Off TKI after a stop that was not a TFR stop (clinical specification §7): no silent patient.</summary>
    private Card OffTreatment(OffTreatmentFinding f, CardContext context)
    {
        var drug = TkiNames.Name(f.StoppedLine.Drug);
        var since = f.Stop is { } stop ? $"since {Date(stop)}" : "(stop date not recorded)";
        var latest = f.AfterStop.Count > 0 ? f.AfterStop[^1] : null;
        var value = latest is null ? "no BCR::ABL1 result since" : $"BCR::ABL1 {latest.ShownIs}";
        var summary = f.Rising && f.Pregnancy is not null
            ? $"Off TKI {since}, BCR::ABL1 rising ({latest!.ShownIs}), pregnancy recorded: discuss with the CML specialist"
            : f.Rising
                ? $"Off TKI {since}, BCR::ABL1 rising ({latest!.ShownIs}): consider restarting TKI"
                : $"Off TKI {since}, not a TFR stop: {value}; test monthly";

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**Off TKI, not a TFR stop**: {drug} was stopped {(f.Stop is { } stopped ? $"on {Date(stopped)}" : "on a date the chart does not give")}");
        sb.Append(f.BeforeStop is { } before
            ? $" after {before.ShownIsWithLevel} on {Date(before.Date)}, not MR4 or deeper, so this is not a treatment-free remission attempt"
            : f.Stop is null ? ", so it cannot be placed as a treatment-free remission attempt" : ", with no result before the stop, so this is not a treatment-free remission attempt");
        sb.Append(f.StopReason switch
        {
            ChangeReason.Intolerance => " (stopped for intolerance)",
            ChangeReason.Resistance => " (stopped for resistance)",
            _ => " (reason not recorded)",
        });
        sb.Append(f.MonthsOff is { } months ? $". {months} months off TKI.\n\n" : ".\n\n");
        if (f.AfterStop.Count > 0)
        {
            sb.Append("Results since the stop: ");
            sb.Append(string.Join("; ", f.AfterStop.TakeLast(MaxEvidenceRows).Select(r => $"{r.ShownIs} on {Date(r.Date)}")));
            if (f.AfterStop.Count > MaxEvidenceRows) sb.Append(CultureInfo.InvariantCulture, $" (the latest {MaxEvidenceRows} of {f.AfterStop.Count})");
            sb.Append(".\n\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{string.Join("`, `", f.RuleIds)}`: off TKI outside TFR: test monthly; above 0.1% and rising, consider restarting TKI (ELN 2020).\n\n");
        if (f.Pregnancy is { } pregnancy)
            sb.Append(CultureInfo.InvariantCulture, $"**Pregnancy recorded**{(pregnancy.Date is { } on ? $" ({Date(on)})" : "")}: TKIs are withheld in pregnancy (ELN 2020), so no TKI order is suggested. Discuss the options with the CML specialist (interferon-alpha is used in pregnancy).\n\n");
        else
            sb.Append(!f.Rising ? "**Next**: BCR::ABL1 monthly while off TKI.\n\n"
                : f.RestartSameTki ? $"**Next**: consider restarting {drug} (or another TKI), and test monthly.\n\n"
                : $"**Next**: consider restarting TKI, chosen with the CML specialist ({drug} was stopped for a reason, or a mutation on file rules it out), and test monthly.\n\n");
        sb.Append("Source: ").Append(Sources.Eln2020Citation).Append('.');
        var card = NewCard(summary, sb, f.Rising ? Indicator.Critical : Indicator.Warning,
            new CardSource { Label = Sources.Eln2020Label, Url = Sources.Eln2020Url, Topic = CardTopics.OffTreatment });
        return f.Rising && f.RestartSameTki
            ? WithSuggestion(card, $"Restart {drug}", $"Draft order to restart {drug}, with the medication coding of the last order", ResumeOrder(f.StoppedLine, context, "Restart TKI: BCR::ABL1 above 0.1% and rising off treatment."), false)
            : card;
    }
}
