using System.Globalization;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Api.Chart;

/// <summary>
/// What the response chart draws, computed by the service's own clinical core from the resources the page read: the page
/// never applies a rule itself (issue 20). Dates are ISO <c>yyyy-MM-dd</c>; %IS values are numbers for the log axis.
/// </summary>
/// <param name="Guideline">The guideline in force, as the cards name it ("ELN 2020").</param>
/// <param name="Results">Every BCR::ABL1 result, oldest first: the ones the rules use, and the ones set aside with why.</param>
/// <param name="Levels">The response-level lines (MMR, MR4, MR4.5, MR5) with their %IS.</param>
/// <param name="Milestones">The milestone bands of the guideline in force on the current line; null without a line.</param>
/// <param name="Latest">The service's own category for the latest result (the response card), when there is one.</param>
/// <param name="Cards">The cards the service gives for the same data, summary and urgency only.</param>
public sealed record ChartEvaluation(
    string Guideline,
    string Today,
    IReadOnlyList<ChartResult> Results,
    IReadOnlyList<ChartLine> Lines,
    IReadOnlyList<ChartMutation> Mutations,
    IReadOnlyList<ChartLevel> Levels,
    ChartMilestones? Milestones,
    ChartLatest? Latest,
    IReadOnlyList<ChartCard> Cards);

/// <param name="Value">As a clinician reads it: "0.085%", "undetectable (&lt; 0.0032%)".</param>
/// <param name="Percent">Where the point stands on the %IS axis: the number, or for an undetectable result the
/// sensitivity it was scored at; null when the result has no %IS (not on the International Scale...).</param>
/// <param name="Level">"MMR", "MR4"...; "none" above 10%; null when set aside.</param>
/// <param name="MonthsOnTki">Months on the line that covers the date, one decimal; null off treatment.</param>
/// <param name="SetAside">Not used by the rules; <see cref="Reason"/> says why.</param>
public sealed record ChartResult(string Date, string Value, double? Percent, bool Undetectable, string? Level, double? LogReduction,
    double? MonthsOnTki, int? Line, string? Drug, bool SetAside, string? Reason);

/// <param name="End">The day it ended (stop or switch); null while it goes on.</param>
/// <param name="Ending">"stopped", "switched", "lapsed" (its last order ran out) or null while ongoing.</param>
/// <param name="SwitchReason">Why the previous line was left for this one ("intolerance", "resistance"), when recorded.</param>
public sealed record ChartLine(int Number, string Drug, string Start, string? End, string? Ending, bool Retreatment, string? SwitchReason,
    IReadOnlyList<ChartGap> Interruptions);

public sealed record ChartGap(string From, string To, int Days);

/// <param name="Text">"T315I detected", "F317L detected; T315I not detected", "no mutation detected".</param>
public sealed record ChartMutation(string Date, IReadOnlyList<string> Detected, IReadOnlyList<string> NotDetected, string Text);

public sealed record ChartLevel(string Label, double Percent);

/// <param name="Line">The line the bands belong to (the current one).</param>
/// <param name="Note">Why no bands are drawn, when none are (re-treatment, atypical transcript, advanced phase).</param>
public sealed record ChartMilestones(int Line, string Drug, string LineStart, IReadOnlyList<ChartBand> Bands, string? Note);

/// <param name="To">The first day after the band (exclusive); for the 12-month row the line's end, else today.</param>
/// <param name="Above">The band covers %IS above this (null: from the floor of the axis).</param>
/// <param name="AtMost">The band covers %IS at most this (null: to the top of the axis).</param>
/// <param name="Category">"optimal", "warning" or "failure": what a result in the band is, by the guideline's table.</param>
/// <param name="Colour">The NCCN colour, under NCCN.</param>
public sealed record ChartBand(string Milestone, string From, string To, double? Above, double? AtMost, string Category, string? Colour, string Text);

/// <param name="Category">"optimal", "warning", "failure": the response card's category.</param>
/// <param name="Summary">The response card's summary, word for word.</param>
public sealed record ChartLatest(string Date, string Value, string Level, string Category, string Indicator, string Summary);

public sealed record ChartCard(string Summary, string Indicator, string Topic);

public static class ChartEvaluations
{
    /// <summary>Today, or the latest result when that is later (a result dated today still fits in its band).</summary>
    public static ChartEvaluation Build(PatientHistory patient, EvaluationResult evaluation, CdsResponse cards, EvaluationSettings settings, DateOnly today)
    {
        var lines = patient.Lines;
        var response = evaluation.Get<ResponseFinding>();
        ChartLatest? latest = null;
        if (response is not null && cards.Cards.FirstOrDefault(c => c.Source.Topic?.Code.StartsWith("response-", StringComparison.Ordinal) == true) is { } card)
            latest = new ChartLatest(Iso(response.Latest.Date), response.Latest.Shown, ResponseLevels.Label(response.Latest.Level),
                response.Category.ToString().ToLowerInvariant(), card.Indicator.ToString().ToLowerInvariant(), card.Summary);
        return new ChartEvaluation(
            Sources.Label(settings.Guideline),
            Iso(today),
            Results(patient, lines),
            lines.Select(Line).ToList(),
            patient.Mutations.Select(Mutation).ToList(),
            [.. ResponseLevels.Table.Where(r => r.Level >= ResponseLevel.MMR).Select(r => new ChartLevel(r.Label, (double)r.MaxPercent))],
            Milestones(patient, settings, today),
            latest,
            cards.Cards.Select(c => new ChartCard(c.Summary, c.Indicator.ToString().ToLowerInvariant(), c.Source.Topic?.Code ?? "")).ToList());
    }

    private static List<ChartResult> Results(PatientHistory patient, IReadOnlyList<TherapyLine> lines)
    {
        var used = patient.Series.Scored.ToHashSet();
        var byId = patient.Notes.Where(n => n.BcrAbl1Result && n.SetAside && n.SourceId is not null)
            .GroupBy(n => n.SourceId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);
        var sameDay = patient.Series.Notes.Where(n => n.Code == DataQualityCodes.SameDayDisagreement).ToDictionary(n => n.Date!.Value, n => n.Message);
        var results = new List<ChartResult>();
        foreach (var r in patient.Results)
        {
            var s = used.FirstOrDefault(u => ReferenceEquals(u.Result, r)) ?? ScoredResult.Score(r);
            var line = lines.LastOrDefault(l => l.Covers(r.Date));
            var setAside = !used.Contains(s);
            var reason = !setAside ? null
                : s.NotEvaluable ? byId.GetValueOrDefault(r.SourceId) ?? Sentence(s.SensitivityNote)
                : sameDay.GetValueOrDefault(r.Date) ?? "Another result on the same day is used.";
            results.Add(new ChartResult(Iso(r.Date), s.Shown, Plotted(s), r.IsUndetectable, setAside ? null : ResponseLevels.Label(s.Level),
                setAside || double.IsInfinity(s.LogReduction) ? null : Math.Round(s.LogReduction, 1),
                line is null ? null : (double)Math.Round(line.MonthsOn(r.Date), 1), line?.Number, line is null ? null : TkiNames.Name(line.Drug), setAside, reason));
        }
        // Results the mapping set aside before any scoring (not on the IS, no unit, not final...): at their date, with no %IS.
        var mapped = patient.Results.Select(r => r.SourceId).ToHashSet(StringComparer.Ordinal);
        foreach (var note in patient.Notes.Where(n => n.BcrAbl1Result && n.SetAside && n.Date is not null && (n.SourceId is null || !mapped.Contains(n.SourceId)))
                     .DistinctBy(n => n.SourceId ?? n.Message))
        {
            var line = lines.LastOrDefault(l => l.Covers(note.Date!.Value));
            results.Add(new ChartResult(Iso(note.Date!.Value), "not used", null, false, null, null,
                line is null ? null : (double)Math.Round(line.MonthsOn(note.Date.Value), 1), line?.Number, line is null ? null : TkiNames.Name(line.Drug), true, note.Message));
        }
        // Other BCR::ABL1 tests with no note of their own (a negative e1a2 screen): a test on that date all the same.
        foreach (var date in patient.OtherBcrAbl1Dates.Where(d => !results.Exists(r => r.SetAside && r.Date == Iso(d))))
        {
            var line = lines.LastOrDefault(l => l.Covers(date));
            results.Add(new ChartResult(Iso(date), "not on the IS", null, false, null, null,
                line is null ? null : (double)Math.Round(line.MonthsOn(date), 1), line?.Number, line is null ? null : TkiNames.Name(line.Drug), true,
                "A BCR::ABL1 test not reported as %IS on the International Scale (another assay or a transcript screen): not used for the milestones."));
        }
        return [.. results.OrderBy(r => r.Date, StringComparer.Ordinal).ThenBy(r => r.SetAside)];
    }

    private static string? Sentence(string? text) => text is null or "" ? text : char.ToUpperInvariant(text[0]) + text[1..] + ".";

    /// <summary>The number itself, or where an undetectable result was scored (its sensitivity); no point for a sample that is not evaluable without a number.</summary>
    private static double? Plotted(ScoredResult s)
    {
        if (!s.Result.IsUndetectable) return (double?)s.Result.Percent;
        if (s.Result.Percent is { } p) return (double)p;
        return s.NotEvaluable ? null : (double)s.EffectivePercent;
    }

    private static ChartLine Line(TherapyLine l) => new(l.Number, TkiNames.Name(l.Drug), Iso(l.Start), l.End is { } e ? Iso(e) : null,
        !l.Ended ? (l.LapsedSince is not null ? "lapsed" : null) : l.ExplicitStop ? "stopped" : "switched",
        l.Retreatment, l.SwitchReason == ChangeReason.Unknown ? null : l.SwitchReason.ToString().ToLowerInvariant(),
        l.Interruptions.Select(g => new ChartGap(Iso(g.From), Iso(g.To), g.Days)).ToList());

    private static ChartMutation Mutation(MutationResult m)
    {
        var detected = m.Mutations;
        var notDetected = m.Variants.Where(v => !v.Detected).Select(v => v.ProteinChange).Distinct(StringComparer.Ordinal).ToList();
        var text = detected.Count == 0 ? "no mutation detected" : string.Join(", ", detected) + " detected";
        if (notDetected.Count > 0) text += $"; {string.Join(", ", notDetected)} not detected";
        return new ChartMutation(Iso(m.Date), detected, notDetected, text);
    }

    /// <summary>
    /// The bands of the milestone table in force for the current line: the rows of §3 placed at the days they apply
    /// (<see cref="MilestoneWindows"/>: 70–149 days the 3-month row, 150–329 the 6-month row, from 330 the 12-month row).
    /// None where the rules apply no milestone row.
    /// </summary>
    private static ChartMilestones? Milestones(PatientHistory patient, EvaluationSettings settings, DateOnly today)
    {
        var line = patient.CurrentLine ?? (patient.Lines.Count > 0 ? patient.Lines[^1] : null);
        if (line is null) return null;
        string? note = null;
        if (!line.IsActive) note = "No milestones: the patient is off TKI.";
        else if (line.Retreatment) note = "No milestone bands on re-treatment after a TFR relapse: MMR is expected back within 3–6 months.";
        else if (patient.HasAtypicalTranscript) note = "No milestone bands: the International Scale milestones do not apply to an atypical transcript.";
        else if (patient.CurrentPhase is Phase.Accelerated or Phase.Blast) note = "No milestone bands in accelerated or blast phase.";
        if (note is not null) return new ChartMilestones(line.Number, TkiNames.Name(line.Drug), Iso(line.Start), [], note);

        var lastDay = patient.Series.Scored.Select(s => s.Date).Append(today).Max();
        var twelveEnd = line.End ?? lastDay.AddDays(1);
        (Milestone M, DateOnly From, DateOnly To)[] windows =
        [
            (Milestone.Month3, line.Start.AddDays(MilestoneWindows.Month3FromDay), line.Start.AddDays(MilestoneWindows.Month6FromDay)),
            (Milestone.Month6, line.Start.AddDays(MilestoneWindows.Month6FromDay), line.Start.AddDays(MilestoneWindows.Month12FromDay)),
            (Milestone.Month12, line.Start.AddDays(MilestoneWindows.Month12FromDay), twelveEnd),
        ];
        var bands = new List<ChartBand>();
        foreach (var (m, from, to) in windows)
        {
            if (to <= from) continue;
            var rows = settings.Guideline == Guideline.Nccn
                ? NccnMilestones.Table(settings.Nccn).Where(r => r.Milestone == m)
                    .Select(r => (r.Band, Category: NccnMilestones.Category(r.Colour, settings.Nccn), Colour: (string?)NccnMilestones.Name(r.Colour), r.Note))
                : Eln2020Milestones.Table.Where(r => r.Milestone == m).Select(r => (r.Band, r.Category, Colour: (string?)null, r.Note));
            foreach (var row in rows)
            {
                var category = row.Category.ToString().ToLowerInvariant();
                var text = $"{MilestoneWindows.Label(m)}, {row.Band}: {row.Colour ?? category}" + (row.Note.Length > 0 ? $" ({row.Note})" : "");
                bands.Add(new ChartBand(MilestoneWindows.Label(m), Iso(from), Iso(to), (double?)row.Band.AboveExclusive, (double?)row.Band.AtMostInclusive,
                    category, row.Colour, text));
            }
        }
        return new ChartMilestones(line.Number, TkiNames.Name(line.Drug), Iso(line.Start), bands, null);
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
