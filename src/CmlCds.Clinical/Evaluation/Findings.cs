using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Evaluation;

/// <summary>What the rules concluded; each finding becomes at most one card.</summary>
public abstract record Finding
{
    /// <summary>Stable ids of the rules that fired (e.g. <c>eln2020.milestone.12m</c>); they appear in cards and logs.</summary>
    public required IReadOnlyList<string> RuleIds { get; init; }
}

/// <summary>
/// The molecular response against the milestone in force on the current line.
/// </summary>
/// <param name="Milestone">The row in force; null before 70 days (only loss of MMR or a mutation can fire then).</param>
/// <param name="Colour">The NCCN colour, when NCCN is in force.</param>
/// <param name="RowText">The guideline row that applied, as the guideline prints it.</param>
/// <param name="Reasons">Why the category was raised beyond the row (confirmation, loss of MMR, mutation), one sentence each.</param>
public sealed record ResponseFinding(
    Guideline Guideline,
    Milestone? Milestone,
    ResponseCategory Category,
    NccnColour? Colour,
    TherapyLine Line,
    ScoredResult Latest,
    IReadOnlyList<ScoredResult> LineResults,
    string RowText,
    IReadOnlyList<string> Reasons) : Finding
{
    public decimal MonthsOnTki => Line.MonthsOn(Latest.Date);

    /// <summary>Halving time at the 3-month milestone, when &gt; 10% and a baseline exists (clinical specification §3, Kinetics).</summary>
    public Kinetics? Kinetics { get; init; }

    /// <summary>On re-treatment after a TFR relapse: when MMR was regained, if it was.</summary>
    public DateOnly? MmrRegainedOn { get; init; }

    /// <summary>Pregnancy recorded: the card never says "continue the current TKI".</summary>
    public PregnancyRecord? Pregnancy { get; init; }

    /// <summary>Kinase domain mutations detected on any line, oldest first: named on the card whatever the category.</summary>
    public IReadOnlyList<MutationResult> MutationsOnFile { get; init; } = [];

    /// <summary>Adherence and interactions on the current TKI (clinical specification §11): set on a warning or failure.</summary>
    public TherapyEvidence? Evidence { get; init; }
}

/// <summary>
/// What the chart says about adherence and drug interactions on the current TKI (clinical specification §11), shown on the
/// response warning/failure and therapy-review cards.
/// </summary>
/// <param name="UnreadMedications">Orders or statements that could not be read (or not in full): the interactions were
/// checked against the rest only, and the card says so.</param>
public sealed record TherapyEvidence(AdherenceResult Adherence, Rules.InteractionCheck Interactions, IReadOnlyList<Patients.MedicationData>? UnreadMedications = null);

/// <summary>
/// BCR::ABL1 halving time from a baseline (a result within 30 days before the line started) to the latest result:
/// t½ = days × ln 2 / ln(baseline / latest). Below 76 days is favourable (Branford 2014, PDQ). Informative only: it
/// never changes the category.
/// </summary>
/// <param name="HalvingDays">Null when the value did not fall.</param>
public sealed record Kinetics(ScoredResult Baseline, ScoredResult Latest, double? HalvingDays)
{
    public const double FavourableBelowDays = 76;
    public bool Favourable => HalvingDays is < FavourableBelowDays;
}

/// <summary>How strongly an action card speaks (clinical specification §4–5): consider → info, recommend → warning, critical.</summary>
public enum ActionStrength { Consider, Recommend, Critical }

/// <summary>
/// BCR::ABL1 kinase domain mutation analysis (clinical specification §4).
/// </summary>
/// <param name="Trigger">The result that triggered it (the latest valid result).</param>
/// <param name="Reason">Why, in a few words for the summary: "treatment failure at 12 months".</param>
/// <param name="Evidence">The results the rule used, oldest first (trigger last).</param>
public sealed record MutationAnalysisFinding(ActionStrength Strength, ScoredResult Trigger, string Reason, IReadOnlyList<ScoredResult> Evidence, TherapyLine? Line) : Finding
{
    /// <summary>Every trigger that applied, in words (the summary names the strongest, <see cref="Reason"/>).</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The guideline in force: its triggers differ on loss of MMR and at 3 months.</summary>
    public Guideline Guideline { get; init; }
}

/// <summary>
/// Therapy review (clinical specification §5): critical when a mutation on file makes the current TKI ineffective; recommend on
/// failure; consider on warning.
/// </summary>
/// <param name="Mutations">The mutations on file that make the current TKI ineffective (critical only).</param>
/// <param name="Options">TKIs that remain options (critical only).</param>
/// <param name="Transplant">Allogeneic transplant is among the options (T315I).</param>
public sealed record TherapyReviewFinding(
    ActionStrength Strength,
    TherapyLine Line,
    ResponseFinding? Response,
    IReadOnlyList<string> Mutations,
    IReadOnlyList<Tki> Options,
    bool Transplant,
    IReadOnlyList<MutationResult> MutationEvidence) : Finding
{
    /// <summary>Detected variants in no row of the table: options are not computed (critical only).</summary>
    public IReadOnlyList<string> Unclassified { get; init; } = [];

    /// <summary>Adherence and interactions on the current TKI (clinical specification §11).</summary>
    public TherapyEvidence? Evidence { get; init; }

    /// <summary>Set when the current TKI is asciminib with T315I on file and the order is not readable as 200 mg twice
    /// daily: the mutation path (critical), asciminib acting on T315I only at that dose.</summary>
    public AsciminibT315I? AsciminibT315I { get; init; }
}

/// <summary>Asciminib with T315I on file (clinical specification §5, §11).</summary>
/// <param name="Dose">The order's dose, below 200 mg twice daily; null when it could not be read.</param>
public sealed record AsciminibT315I(TkiDose? Dose);

/// <summary>Which dose rule fired (clinical specification §11).</summary>
public enum DoseConcern
{
    /// <summary>Ponatinib above 15 mg daily with the latest result ≤ 1% (PDQ; Cortes 2021): consider 15 mg daily (info).</summary>
    PonatinibAboveMaintenance,
    /// <summary>Asciminib with T315I on file below 200 mg twice daily (label section 2): warning.</summary>
    AsciminibBelowT315IDose,
}

/// <summary>A dose the chart states that a rule speaks to (clinical specification §11).</summary>
/// <param name="Latest">The latest valid result on the line (ponatinib).</param>
/// <param name="Mutation">The result with T315I (asciminib).</param>
public sealed record DoseFinding(DoseConcern Concern, TherapyLine Line, TkiDose Dose, ScoredResult? Latest, MutationResult? Mutation) : Finding;

/// <summary>On TKI and the last BCR::ABL1 test is older than the interval plus 4 weeks (clinical specification §8).</summary>
/// <param name="LastTest">The latest valid result on the current line; null when there is none since the line started.</param>
/// <param name="Pending">A BCR::ABL1 order placed after the last test, still open: the test is asked for but not done.</param>
public sealed record MonitoringOverdueFinding(TherapyLine Line, ScoredResult? LastTest, DateOnly Due, int IntervalMonths, bool InMmr, DateOnly Today, PendingOrder? Pending) : Finding
{
    /// <summary>Why the interval is what it is.</summary>
    public Rules.MonitoringSchedule Schedule { get; init; } = InMmr ? Rules.MonitoringSchedule.InMmr : Rules.MonitoringSchedule.BeforeMmr;

    /// <summary>With an atypical transcript: a BCR::ABL1 result not on the IS later than <see cref="LastTest"/>.</summary>
    public DateOnly? LastOtherTest { get; init; }

    public DateOnly Reference => LastOtherTest ?? LastTest?.Date ?? Line.Start;

    /// <summary>Months since the last test, rounded to the nearest month (clinical specification §10).</summary>
    public int MonthsSinceReference => (int)Math.Round(ClinicalTime.MonthsBetween(Reference, Today), MidpointRounding.AwayFromZero);
}

/// <summary>TFR eligibility (clinical specification §6): every criterion, met or to confirm (none unmet).</summary>
/// <param name="Qualifying">The results that make the depth criterion, oldest first.</param>
public sealed record TfrEligibleFinding(Guideline Guideline, TherapyLine Line, IReadOnlyList<Tfr.CriterionResult> Criteria,
    IReadOnlyList<ScoredResult> Qualifying, decimal TkiYears, decimal Mr4Years) : Finding;

/// <summary>In TFR: months since the stop and the next test (clinical specification §7).</summary>
public sealed record TfrMonitoringFinding(Tfr.TfrEpisode Episode, ScoredResult? LastTest, DateOnly Due, int IntervalMonths, bool Overdue, int MonthsSinceStop) : Finding;

/// <summary>Loss of MMR after stopping TKI (clinical specification §7): resume TKI, unless pregnancy is recorded.</summary>
/// <param name="Pregnancy">Pregnancy recorded: TKIs are withheld; no draft TKI order is suggested.</param>
public sealed record TfrRelapseFinding(Tfr.TfrEpisode Episode, ScoredResult Relapse, PregnancyRecord? Pregnancy = null) : Finding;

/// <summary>Off TKI after an explicit stop that was not a TFR stop (clinical specification §7).</summary>
/// <param name="BeforeStop">The last valid result on or before the stop.</param>
/// <param name="AfterStop">Valid results after the stop, oldest first.</param>
/// <param name="Rising">The latest result after the stop is above 0.1% and higher than the one before it.</param>
public sealed record OffTreatmentFinding(TherapyLine StoppedLine, DateOnly? Stop, ScoredResult? BeforeStop, IReadOnlyList<ScoredResult> AfterStop, bool Rising, PregnancyRecord? Pregnancy, int? MonthsOff) : Finding
{
    /// <summary>Why the TKI was stopped, when the chart says.</summary>
    public ChangeReason StopReason { get; init; }

    /// <summary>A draft order for the same TKI may be offered: no pregnancy, no recorded intolerance or resistance, no mutation against it.</summary>
    public bool RestartSameTki { get; init; }
}

/// <summary>
/// Accelerated or blast phase (clinical specification §3): replaces the milestone cards; specialist referral,
/// transplant evaluation and mutation analysis to consider. Never "continue the current TKI".
/// </summary>
/// <param name="Line">The current TKI line, if any.</param>
/// <param name="Latest">The latest valid result, if any.</param>
public sealed record AdvancedPhaseFinding(Phase Phase, DateOnly? Since, TherapyLine? Line, ScoredResult? Latest) : Finding;

/// <summary>Data that was set aside or used with a caveat, to be shown, never dropped in silence.</summary>
/// <param name="LatestResultSetAside">A BCR::ABL1 result dated after the latest valid one was set aside: the most
/// recent test is not in the assessment, which the clinician must know.</param>
public sealed record DataQualityFinding(IReadOnlyList<DataQualityNote> Notes, DataQualityNote? LatestResultSetAside) : Finding
{
    /// <summary>The clinician must act: the latest result was set aside, or a note asks for action (repeat, confirm).</summary>
    public bool Warning => LatestResultSetAside is not null || Notes.Any(n => n.Warning);
}

/// <summary>The findings for one patient, in evaluation order.</summary>
public sealed record EvaluationResult(IReadOnlyList<Finding> Findings)
{
    public static readonly EvaluationResult Empty = new([]);
    public T? Get<T>() where T : Finding => Findings.OfType<T>().FirstOrDefault();
}

/// <summary>Settings the rules read; bound from configuration <c>Clinical</c> at the edge.</summary>
public sealed record EvaluationSettings
{
    /// <summary>The guideline in force for every milestone rule. Default ELN 2020.</summary>
    public Guideline Guideline { get; init; } = Guideline.Eln2020;

    /// <summary>NCCN choices; read only when <see cref="Guideline"/> is NCCN.</summary>
    public NccnSettings Nccn { get; init; } = new();
}
