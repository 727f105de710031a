namespace CmlCds.Clinical;

/// <summary>
/// Every rule id a finding can carry: they appear in cards, logs and the audit, and each is stated in
/// docs/clinical-specification.md (a test checks both directions against the goldens and the document).
/// </summary>
public static class RuleCatalogue
{
    private static readonly string[] PerGuideline =
    [
        "milestone.3m", "milestone.6m", "milestone.12m", "loss-of-mmr", "resistance-mutation", "uncertain-variant",
        "retreatment.mmr-regained", "retreatment.mmr-not-regained", "tfr-eligibility",
    ];

    public static readonly IReadOnlyList<string> All =
    [
        .. PerGuideline.Select(r => "eln2020." + r),
        "eln2020.milestone.3m.confirmed",
        .. PerGuideline.Select(r => "nccn." + r),
        "advanced-phase.accelerated", "advanced-phase.blast",
        "therapy-review.mutation", "therapy-review.failure", "therapy-review.warning",
        "therapy-review.adherence-concern", "therapy-review.interaction",
        "dose.ponatinib-reduce", "dose.asciminib-t315i",
        "mutation-analysis.failure", "mutation-analysis.loss-of-mmr", "mutation-analysis.tfr-no-mmr-regain",
        "mutation-analysis.progression", "mutation-analysis.warning", "mutation-analysis.nccn-3m-yellow",
        "monitoring-overdue",
        "tfr.monitoring", "tfr.monitoring.overdue", "tfr.molecular-relapse", "tfr.molecular-relapse.pregnancy",
        "off-treatment", "off-treatment.rising", "off-treatment.pregnancy",
        "data-quality", "data-quality.latest-set-aside",
    ];
}
