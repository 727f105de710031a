using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tfr;

public enum CriterionStatus { Met, ToConfirm, NotMet }

/// <summary>One TFR criterion as the card lists it.</summary>
/// <param name="Requirement">The guideline's words for it.</param>
/// <param name="Evidence">What the chart shows.</param>
public sealed record CriterionResult(string Criterion, string Requirement, CriterionStatus Status, string Evidence);

/// <summary>
/// The TFR criteria of clinical specification §6, printed as the guideline prints them:
/// <code>
/// | criterion           | NCCN                                           | ELN 2020 (default)                                            |
/// | phase               | chronic, never accelerated or blast            | first chronic phase                                           |
/// | age                 | ≥ 18                                           | ≥ 18 (adults; under 18 TFR only within a trial)               |
/// | TKI duration        | ≥ 3 years                                      | > 5 years (> 4 years for dasatinib, nilotinib, bosutinib)     |
/// | depth               | MR4 stable ≥ 2 years, ≥ 4 tests ≥ 3 months apart| MR4 or deeper > 2 years                                      |
/// | history             | no prior resistance                            | no prior failure; first line, or second line after intolerance|
/// | transcript          | quantifiable at some point                     | typical e13a2/e14a2 (unknown → to confirm)                    |
/// | laboratory, patient | qPCR ≥ MR4.5 on IS, results within 2 weeks; agreement to monitoring | same                       |
/// </code>
/// </summary>
public sealed record TfrGuidelineCriteria(
    Guideline Guideline,
    int? MinimumAgeYears,
    int TkiYears,
    bool TkiYearsStrictlyMore,
    IReadOnlyList<Tki> ShorterDurationDrugs,
    int ShorterTkiYears,
    int DepthYears,
    bool DepthStrictlyMore,
    bool FirstOrSecondLineOnly,
    bool TypicalTranscriptRequired,
    string PhaseText, string DurationText, string DepthText, string HistoryText, string TranscriptText)
{
    /// <summary>Depth (clinical specification §6): at least this many results, each at least this many days after the one before.</summary>
    public const int MinimumDepthTests = 4;
    public const int MinimumDaysBetweenTests = 90;

    public const string LaboratoryText = "qPCR sensitivity ≥ MR4.5 on the International Scale, results within 2 weeks";
    public const string AgreementText = "patient agrees to frequent monitoring after stopping";

    public static readonly TfrGuidelineCriteria Eln2020 = new(
        Guideline.Eln2020, 18, 5, true, [Tki.Dasatinib, Tki.Nilotinib, Tki.Bosutinib], 4, 2, true, true, true,
        "first chronic phase", "> 5 years (> 4 years for dasatinib, nilotinib, bosutinib)", "MR4 or deeper > 2 years",
        "no prior failure; first line, or second line after intolerance only", "typical e13a2 / e14a2");

    public static readonly TfrGuidelineCriteria Nccn = new(
        Guideline.Nccn, 18, 3, false, [], 3, 2, false, false, false,
        "chronic phase, never accelerated or blast", "≥ 3 years", "MR4 stable ≥ 2 years, ≥ 4 tests ≥ 3 months apart",
        "no prior resistance", "quantifiable at some point");

    public static TfrGuidelineCriteria For(Guideline g) => g == Guideline.Nccn ? Nccn : Eln2020;
}
