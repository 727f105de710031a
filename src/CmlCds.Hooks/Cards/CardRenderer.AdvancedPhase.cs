using System.Globalization;
using System.Text;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Therapy;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    /// <summary>Accelerated or blast phase (clinical specification §3): critical; never "continue the current TKI".</summary>
    private Card AdvancedPhase(AdvancedPhaseFinding f, EvaluationResult evaluation)
    {
        var phase = f.Phase == Phase.Blast ? "blast" : "accelerated";
        var on = f.Line is { } line ? $" on {TkiNames.Name(line.Drug)}" : " off TKI";
        var result = f.Latest is { } latest ? $"BCR::ABL1 {latest.ShownIs}{on}" : $"no BCR::ABL1 result{on}";
        var summary = $"CML in {phase} phase, {result}: refer to a CML specialist centre; evaluate for transplant";

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**CML in {phase} phase**{(f.Since is { } since ? $" (recorded {Date(since)})" : "")}: the chronic-phase response milestones do not apply, so no optimal, warning or failure assessment is given.");
        if (f.Latest is { } l)
            sb.Append(CultureInfo.InvariantCulture, $" Latest BCR::ABL1 {l.ShownIs} on {Date(l.Date)}{(f.Line is { } ln ? $", {ClinicalTime.FormatMonths(ln.MonthsOn(l.Date))} months after starting {TkiNames.Name(ln.Drug)}" : "")}.");
        sb.Append("\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**Rule** `{f.RuleIds[0]}`: accelerated or blast phase replaces the milestone assessment (ELN 2020; PDQ).\n\n");
        sb.Append("**Consider**:\n\n");
        sb.Append("1. Referral to, or discussion with, a CML specialist centre.\n");
        sb.Append("2. Evaluation for allogeneic stem cell transplant (PDQ: in blast phase, survival was worse with ponatinib than with transplant).\n");
        sb.Append(evaluation.Get<MutationAnalysisFinding>() is not null
            ? "3. Kinase domain mutation analysis: see the mutation analysis card.\n"
            : "3. Kinase domain mutation analysis, if none is on file since the phase changed.\n");
        if (evaluation.Get<TherapyReviewFinding>() is not null) sb.Append("4. The therapy review card: a mutation on file limits the choice of TKI.\n");
        sb.Append('\n');
        sb.Append("Source: ").Append(Sources.Eln2020Citation).Append("; ").Append(Sources.PdqCitation).Append('.');
        return NewCard(summary, sb, Indicator.Critical,
            new CardSource { Label = Sources.Eln2020Label, Url = Sources.Eln2020Url, Topic = CardTopics.AdvancedPhase });
    }
}
