using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>One row of the contraindication table: a TKI and the kinase domain mutations it is not effective against.</summary>
/// <param name="AnyMutation">Not effective against any detected resistance mutation (imatinib).</param>
/// <param name="Note">What the row says beyond the list (asciminib and T315I).</param>
public sealed record ContraindicationRow(Tki Drug, IReadOnlyList<string> NotEffectiveAgainst, bool AnyMutation = false, string? Note = null);

/// <summary>
/// Clinical specification §5: the TKIs <b>not</b> to be used against each mutation (NCCN V.1.2026 mutation table as
/// reproduced in the literature; Branford 2009; Soverini 2011; PDQ for T315I), printed as the specification prints it:
/// <code>
/// | TKI       | not effective against                                                    |
/// | imatinib  | any detected resistance mutation (never offered after one)               |
/// | dasatinib | T315I, T315A, F317L/V/I/C, V299L                                         |
/// | nilotinib | T315I, Y253H, E255K/V, F359V/C/I, G250E                                  |
/// | bosutinib | T315I, V299L, G250E, F317L                                               |
/// | ponatinib | none of the single mutations above                                       |
/// | asciminib | A337T, P465S, M244V, F359V/C/I (T315I: only at the T315I dose)           |
/// </code>
/// Options = {dasatinib, nilotinib, bosutinib, ponatinib, asciminib} minus every TKI any detected mutation rules out,
/// minus the current TKI; with T315I, allogeneic transplant too (PDQ). A mutation in no row is of uncertain
/// significance: options are not computed ("discuss with the laboratory and a CML specialist").
/// </summary>
public static class MutationResistanceTable
{
    public static readonly IReadOnlyList<ContraindicationRow> Table =
    [
        new(Tki.Imatinib, [], AnyMutation: true),
        new(Tki.Dasatinib, ["T315I", "T315A", "F317L", "F317V", "F317I", "F317C", "V299L"]),
        new(Tki.Nilotinib, ["T315I", "Y253H", "E255K", "E255V", "F359V", "F359C", "F359I", "G250E"]),
        new(Tki.Bosutinib, ["T315I", "V299L", "G250E", "F317L"]),
        new(Tki.Ponatinib, []),
        new(Tki.Asciminib, ["A337T", "P465S", "M244V", "F359V", "F359C", "F359I"], Note: "T315I: only at the T315I dose, 200 mg twice daily"),
    ];

    /// <summary>The mutation that calls for allogeneic transplant evaluation among the options (PDQ).</summary>
    public const string T315I = "T315I";

    /// <summary>TKIs a change of therapy may choose from, before the mutations rule any out.</summary>
    public static readonly IReadOnlyList<Tki> Candidates = [Tki.Dasatinib, Tki.Nilotinib, Tki.Bosutinib, Tki.Ponatinib, Tki.Asciminib];

    private static readonly HashSet<string> Known = Table.SelectMany(r => r.NotEffectiveAgainst).ToHashSet(StringComparer.Ordinal);

    /// <summary>In the table: a known resistance mutation.</summary>
    public static bool IsKnown(string mutation) => Known.Contains(mutation);

    /// <summary>Whether the (known) mutation makes the TKI ineffective.</summary>
    public static bool RulesOut(string mutation, Tki drug) =>
        IsKnown(mutation) && Table.First(r => r.Drug == drug) is var row && (row.AnyMutation || row.NotEffectiveAgainst.Contains(mutation, StringComparer.Ordinal));

    /// <summary>The TKIs that remain options against every mutation, less the current TKI; null when any mutation is unknown.</summary>
    public static IReadOnlyList<Tki>? Options(IReadOnlyCollection<string> mutations, Tki current) =>
        mutations.Any(m => !IsKnown(m)) ? null
            : Candidates.Where(t => t != current && !mutations.Any(m => RulesOut(m, t))).ToList();
}
