using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Rules;
using CmlCds.Clinical.Tfr;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    private const string TfrAlliance = "iCMLf TFR Alliance: about half of TFR attempts succeed";

    private Card TfrEligible(TfrEligibleFinding f)
    {
        var drug = TkiNames.Name(f.Line.Drug);
        var label = Sources.Label(f.Guideline);
        var depthToConfirm = f.Criteria.Any(c => c.Criterion == "depth" && c.Status == CriterionStatus.ToConfirm);
        var depth = depthToConfirm ? "depth to confirm (sensitivity not reported)" : $"MR4 for {ClinicalTime.FormatYears(f.Mr4Years)} years";
        var summary = $"May be a candidate for TKI discontinuation (TFR): {depth}, on TKI {ClinicalTime.FormatYears(f.TkiYears)} years ({label})";
        var sb = new StringBuilder();
        var toConfirm = f.Criteria.Count(c => c.Status == CriterionStatus.ToConfirm);
        sb.Append(CultureInfo.InvariantCulture, $"**May be a candidate for treatment-free remission** by {label}: every criterion the chart can answer is met; {toConfirm} to confirm with the patient and the laboratory. Currently on {drug} (line {f.Line.Number}).\n\n");
        Markdown.Table(sb, ["Criterion", $"{label} requires", "Status", "Chart"], f.Criteria.Select(c => (IReadOnlyList<string>)
            [c.Criterion, c.Requirement, c.Status == CriterionStatus.Met ? "met" : "to confirm", c.Evidence]));
        sb.Append("Qualifying results (MR4 or deeper, at least 90 days apart):\n\n");
        ResultsTable(sb, f.Qualifying, null);
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{f.RuleIds[0]}`: TFR criteria ({label}); never with an accelerated or blast phase, an atypical transcript, a kinase-domain mutation or a failure on record.\n\n");
        sb.Append("**Next**: discuss stopping with the patient (").Append(TfrAlliance)
          .Append("); confirm a laboratory with MR4.5 sensitivity on the International Scale and results within 2 weeks, and monthly tests for the first 6 months after stopping.\n\n");
        sb.Append("Source: ").Append(Sources.Citation(f.Guideline)).Append('.');
        return NewCard(summary, sb, Indicator.Info, new CardSource { Label = label, Url = Sources.Url(f.Guideline), Topic = CardTopics.TfrEligible });
    }

    private Card TfrMonitoring(TfrMonitoringFinding f, CardContext context)
    {
        var e = f.Episode;
        var drug = TkiNames.Name(e.StoppedLine.Drug);
        var every = f.IntervalMonths == 1 ? "monthly" : $"every {f.IntervalMonths} months";
        var summary = f.Overdue
            ? $"TFR monitoring overdue: BCR::ABL1 was due {Date(f.Due)} ({every}), {f.MonthsSinceStop} months after stopping {drug}"
            : $"In TFR {f.MonthsSinceStop} months after stopping {drug}: next BCR::ABL1 due {Date(f.Due)} ({every})";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**{(f.Overdue ? "Overdue" : "Treatment-free remission")}**: {drug} stopped on {Date(e.Stop)} ({f.MonthsSinceStop} months ago) after {e.PreStop.ShownIs} on {Date(e.PreStop.Date)}; ");
        if (f.LastTest is { } last)
            sb.Append(CultureInfo.InvariantCulture, $"last BCR::ABL1 {last.ShownIs} on {Date(last.Date)}; next due {Date(f.Due)}.\n\n");
        else
            sb.Append(CultureInfo.InvariantCulture, $"no BCR::ABL1 result since the stop; the first is due {Date(f.Due)}.\n\n");
        ResultsTable(sb, [e.PreStop, .. e.AfterStop], null);
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{string.Join("`, `", f.RuleIds)}`: after stopping, {ScheduleText()} (schedule: ELN 2020). Any result above 0.1% means loss of MMR: resume TKI.\n\n");
        sb.Append("Source: ").Append(Sources.Eln2020Citation).Append('.');
        var card = NewCard(summary, sb, f.Overdue ? Indicator.Warning : Indicator.Info,
            new CardSource { Label = Sources.Eln2020Label, Url = Sources.Eln2020Url, Topic = CardTopics.TfrMonitoring });
        return WithSuggestion(card, "Order BCR::ABL1 qPCR (International Scale)", "Draft order for the next post-stop BCR::ABL1 %IS (LOINC 69380-4)",
            DraftOrder(context, Codes.BcrAbl1International, "BCR::ABL1 qPCR, International Scale (TFR monitoring)", null), f.Overdue);
    }

    private Card TfrRelapse(TfrRelapseFinding f, CardContext context)
    {
        var e = f.Episode;
        var drug = TkiNames.Name(e.StoppedLine.Drug);
        var summary = $"Loss of MMR after stopping TKI ({f.Relapse.ShownIs}): resume TKI within 4 weeks";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**Molecular relapse in TFR**: BCR::ABL1 {f.Relapse.ShownIs} on {Date(f.Relapse.Date)}, above 0.1% (loss of MMR), {ClinicalTime.CompletedCalendarMonths(e.Stop, f.Relapse.Date)} months after {drug} was stopped on {Date(e.Stop)}.\n\n");
        ResultsTable(sb, [e.PreStop, .. e.AfterStop], null);
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{string.Join("`, `", f.RuleIds)}`: any result above 0.1% after stopping → resume TKI within 4 weeks, then test monthly until MMR returns (ELN 2020){(f.Pregnancy is null ? "" : "; in pregnancy TKIs are withheld")}.\n\n");
        if (f.Pregnancy is { } pregnancy)
        {
            sb.Append(CultureInfo.InvariantCulture, $"**Pregnancy recorded**{(pregnancy.Date is { } on ? $" ({Date(on)})" : "")}: TKIs are withheld in pregnancy (ELN 2020), so no TKI order is suggested. Discuss the options with the CML specialist (interferon-alpha is used in pregnancy); test monthly.\n\n");
            sb.Append("Source: ").Append(Sources.Eln2020Citation).Append('.');
            return NewCard($"Loss of MMR after stopping TKI ({f.Relapse.ShownIs}), pregnancy recorded: discuss with the CML specialist", sb, Indicator.Critical,
                new CardSource { Label = Sources.Eln2020Label, Url = Sources.Eln2020Url, Topic = CardTopics.TfrMolecularRelapse });
        }
        sb.Append(CultureInfo.InvariantCulture, $"**Next**: resume {drug} (the suggestion drafts the last order's medication); test monthly; if MMR is not regained within 3 months, kinase domain mutation analysis.\n\n");
        sb.Append("Source: ").Append(Sources.Eln2020Citation).Append('.');
        var card = NewCard(summary, sb, Indicator.Critical,
            new CardSource { Label = Sources.Eln2020Label, Url = Sources.Eln2020Url, Topic = CardTopics.TfrMolecularRelapse });
        return WithSuggestion(card, $"Resume {drug}", $"Draft order to resume {drug}, with the medication coding of the last order",
            ResumeOrder(e.StoppedLine, context, "Resume TKI after loss of MMR in treatment-free remission (ELN 2020: within 4 weeks)."), true);
    }

    /// <summary>The post-stop schedule as the card states it, from <see cref="TfrMonitoringRule.Schedule"/>.</summary>
    private static string ScheduleText()
    {
        var steps = TfrMonitoringRule.Schedule;
        var parts = steps.Select((step, i) =>
        {
            var every = step.IntervalMonths == 1 ? "monthly" : $"every {step.IntervalMonths} months";
            var when = i + 1 < steps.Count ? $"in months {step.FromMonth + 1}–{steps[i + 1].FromMonth}" : "after";
            return $"{every} {when}, overdue more than {step.GraceDays} days after the due date";
        });
        return "test " + string.Join("; ", parts);
    }

    /// <summary>A draft MedicationRequest with the same medication coding as the line's last order (clinical specification §7).</summary>
    private static MedicationRequest ResumeOrder(TherapyLine line, CardContext context, string note)
    {
        var lastOrder = line.Orders[^1];
        var medication = context.Find(lastOrder.SourceId) switch
        {
            MedicationRequest mr => mr.Medication,
            MedicationStatement ms => ms.Medication,
            _ => null,
        } ?? new CodeableConcept(new Coding(Codes.Atc, Codes.AtcOf(line.Drug), TkiNames.Name(line.Drug)));
        var request = new MedicationRequest
        {
            Status = "draft",
            Intent = "proposal",
            Subject = new Reference(context.PatientReference),
            Note = [new Annotation { Text = note }],
        };
        if (medication is Reference reference) request.MedicationReference = reference;
        else request.MedicationCodeableConcept = (CodeableConcept)medication;
        return request;
    }
}
