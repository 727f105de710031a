using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>One row of the mutation table: the TKIs a kinase-domain mutation makes ineffective, and the options.</summary>
/// <param name="OtherOptions">True where the guideline says "others": every TKI not listed as ineffective.</param>
public sealed record MutationRow(IReadOnlyList<string> Mutations, IReadOnlyList<Tki> NotEffective, IReadOnlyList<Tki> Options, bool OtherOptions, bool Transplant);

/// <summary>
/// RULES.md §5 (PDQ; ELN 2020), printed as the guideline prints it:
/// <code>
/// | mutation           | not effective                              | options                                   |
/// | T315I              | imatinib, dasatinib, nilotinib, bosutinib  | ponatinib, asciminib, allogeneic transplant|
/// | V299L              | bosutinib, dasatinib                       | nilotinib, ponatinib, asciminib           |
/// | F317L/V/I/C        | dasatinib (bosutinib for F317L)            | nilotinib, ponatinib, asciminib           |
/// | Y253H, E255K/V     | nilotinib                                  | dasatinib, bosutinib, ponatinib, asciminib|
/// | F359V/C/I          | nilotinib, asciminib                       | dasatinib, bosutinib, ponatinib           |
/// | G250E              | bosutinib                                  | others                                    |
/// | A337T, P465S, M244V| asciminib                                  | others                                    |
/// </code>
/// F317L/V/I/C is two rows here because bosutinib is ineffective for F317L only.
/// </summary>
public static class MutationResistanceTable
{
    public static readonly IReadOnlyList<MutationRow> Table =
    [
        new(["T315I"], [Tki.Imatinib, Tki.Dasatinib, Tki.Nilotinib, Tki.Bosutinib], [Tki.Ponatinib, Tki.Asciminib], false, true),
        new(["V299L"], [Tki.Bosutinib, Tki.Dasatinib], [Tki.Nilotinib, Tki.Ponatinib, Tki.Asciminib], false, false),
        new(["F317L"], [Tki.Dasatinib, Tki.Bosutinib], [Tki.Nilotinib, Tki.Ponatinib, Tki.Asciminib], false, false),
        new(["F317V", "F317I", "F317C"], [Tki.Dasatinib], [Tki.Nilotinib, Tki.Ponatinib, Tki.Asciminib], false, false),
        new(["Y253H", "E255K", "E255V"], [Tki.Nilotinib], [Tki.Dasatinib, Tki.Bosutinib, Tki.Ponatinib, Tki.Asciminib], false, false),
        new(["F359V", "F359C", "F359I"], [Tki.Nilotinib, Tki.Asciminib], [Tki.Dasatinib, Tki.Bosutinib, Tki.Ponatinib], false, false),
        new(["G250E"], [Tki.Bosutinib], [], true, false),
        new(["A337T", "P465S", "M244V"], [Tki.Asciminib], [], true, false),
    ];

    public static MutationRow? Row(string mutation) => Table.FirstOrDefault(r => r.Mutations.Contains(mutation, StringComparer.Ordinal));

    /// <summary>The options a row gives: its list, or for "others" every TKI it does not make ineffective.</summary>
    public static IReadOnlyList<Tki> OptionsOf(MutationRow row) =>
        row.OtherOptions ? Enum.GetValues<Tki>().Except(row.NotEffective).ToList() : row.Options;
}
