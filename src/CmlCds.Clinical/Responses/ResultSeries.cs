using CmlCds.Clinical.Patients;

namespace CmlCds.Clinical.Responses;

/// <summary>
/// The patient's valid %IS results as the rules read them (clinical specification §1–2): each scored, the samples
/// that are not evaluable set aside, and one result per date. Depends on the results only, never on their resource
/// ids or the order they arrived in.
/// <list type="bullet">
/// <item>Not evaluable (an undetectable result with fewer control-gene copies than MMR needs): set aside with
/// <c>obs.sample-not-evaluable</c>, a warning ("repeat the test").</item>
/// <item>Sensitivity caveats (too few copies for the level claimed, sensitivity not reported, few copies behind a
/// quantified value): used, with a note.</item>
/// <item>Two or more results on one date: the worse (higher effective %IS) is used. When they fall in different
/// response levels a warning note names both ("confirm with the laboratory"); in the same level the other is
/// dropped without a note, since no card would differ. Ties are broken by the value as reported, then the
/// control-gene copies, and only last by resource id, where the results are the same in every clinical respect.</item>
/// </list>
/// </summary>
public sealed record ResultSeries(IReadOnlyList<ScoredResult> Scored, IReadOnlyList<DataQualityNote> Notes)
{
    public static readonly ResultSeries Empty = new([], []);

    public static ResultSeries Build(IEnumerable<BcrAbl1Result> results)
    {
        var notes = new List<DataQualityNote>();
        var usable = new List<ScoredResult>();
        foreach (var s in results.Select(ScoredResult.Score))
        {
            if (s.SensitivityNote is { } text)
                notes.Add(new DataQualityNote(s.SensitivityCode ?? DataQualityCodes.InsufficientSensitivity, s.Result.SourceId, s.Date, char.ToUpperInvariant(text[0]) + text[1..],
                    SetAside: s.NotEvaluable, BcrAbl1Result: true, Warning: s.NotEvaluable));
            if (!s.NotEvaluable) usable.Add(s);
        }

        var scored = new List<ScoredResult>();
        foreach (var day in usable.GroupBy(s => s.Date).OrderBy(g => g.Key))
        {
            var ordered = day.OrderByDescending(s => s.EffectivePercent).ThenBy(s => s.Level)
                .ThenByDescending(s => s.Result.Percent ?? -1m).ThenBy(s => s.Result.Comparator).ThenBy(s => s.Result.NotDetected)
                .ThenBy(s => s.Result.Abl1Copies ?? -1).ThenBy(s => s.Result.GusbCopies ?? -1)
                .ThenBy(s => s.Result.SourceId, StringComparer.Ordinal).ToList();
            var used = ordered[0];
            scored.Add(used);
            var others = ordered.Skip(1).Where(s => s.Level != used.Level).ToList();
            if (others.Count > 0)
                notes.Add(new DataQualityNote(DataQualityCodes.SameDayDisagreement, used.Result.SourceId, used.Date,
                    $"Results on the same day disagree: {used.Shown} ({ResponseLevels.Label(used.Level)}) and {string.Join(" and ", others.Select(o => $"{o.Shown} ({ResponseLevels.Label(o.Level)})"))}; the higher, {used.Shown}, is used: confirm with the laboratory.",
                    SetAside: false, BcrAbl1Result: true, Warning: true));
        }
        return new ResultSeries(scored, notes);
    }
}
