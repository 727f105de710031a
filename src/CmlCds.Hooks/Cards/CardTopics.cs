using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

/// <summary>The card-topic CodeSystem (DESIGN.md "Contracts"; fhir-profiles/CodeSystem-card-topic.json). Codes are stable.</summary>
public static class CardTopics
{
    public static readonly CdsCoding ResponseOptimal = Topic("response-optimal", "Molecular response: optimal");
    public static readonly CdsCoding ResponseWarning = Topic("response-warning", "Molecular response: warning");
    public static readonly CdsCoding ResponseFailure = Topic("response-failure", "Molecular response: failure");
    public static readonly CdsCoding MutationAnalysis = Topic("mutation-analysis", "BCR::ABL1 kinase domain mutation analysis");
    public static readonly CdsCoding TherapyReview = Topic("therapy-review", "Therapy review");
    public static readonly CdsCoding TfrEligible = Topic("tfr-eligible", "Treatment-free remission: eligible to discuss");
    public static readonly CdsCoding TfrMonitoring = Topic("tfr-monitoring", "Treatment-free remission: monitoring");
    public static readonly CdsCoding TfrMolecularRelapse = Topic("tfr-molecular-relapse", "Treatment-free remission: loss of MMR");
    public static readonly CdsCoding MonitoringOverdue = Topic("monitoring-overdue", "BCR::ABL1 monitoring overdue");
    public static readonly CdsCoding DataQuality = Topic("data-quality", "Data set aside or used with caveats");
    public static readonly CdsCoding AdvancedPhase = Topic("advanced-phase", "Accelerated or blast phase");
    public static readonly CdsCoding OffTreatment = Topic("off-treatment", "Off TKI, not a TFR stop");
    public static readonly CdsCoding DoseReview = Topic("dose-review", "TKI dose review");

    public static readonly IReadOnlyList<CdsCoding> All =
        [ResponseOptimal, ResponseWarning, ResponseFailure, MutationAnalysis, TherapyReview, TfrEligible, TfrMonitoring, TfrMolecularRelapse, MonitoringOverdue, DataQuality, AdvancedPhase, OffTreatment, DoseReview];

    private static CdsCoding Topic(string code, string display) => new(code, Codes.CardTopicSystem, display);
}
