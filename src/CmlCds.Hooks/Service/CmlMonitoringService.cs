using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Service;

/// <summary>One prefetch key the service declares. <see cref="Required"/> data missing and not fetchable → 412.</summary>
public sealed record PrefetchKey(string Key, string Template, bool Required, string Why);

/// <summary>
/// The <c>cml-monitoring</c> service (DESIGN.md "Contracts"): its discovery entry is derived from this definition.
/// </summary>
public static class CmlMonitoringService
{
    public const string Id = "cml-monitoring";
    public const string Hook = "patient-view";
    public const string Title = "CML molecular monitoring";

    public const string Description =
        "Chronic myeloid leukemia: BCR::ABL1 (International Scale) response against ELN 2020 or NCCN milestones, "
        + "kinase domain mutation analysis, therapy review with adherence from dispenses and drug interactions, TKI dose, "
        + "and overdue monitoring, with the evidence, "
        + "and notes on results that could not be used.";

    /// <summary>IS results, and non-IS ones so that they can be reported as such: the two ValueSets of fhir-profiles/.</summary>
    private static readonly string BcrAbl1Codes = Codes.SearchTokens(Codes.BcrAbl1Is, Codes.BcrAbl1NonIs);
    private const string OrderCodes = $"{Codes.Loinc}|{Codes.MutationAnalysis},{Codes.Loinc}|{Codes.BcrAbl1International}";
    private static readonly string MutationCodes = Codes.SearchTokens(Codes.KdMutation);

    /// <summary>
    /// Keys in declaration order. Required: the BCR::ABL1 results, the conditions (is it CML?) and the orders
    /// (months on TKI). Optional: the patient (age, for TFR), mutation results, medication statements, test
    /// orders, the pregnancy status and the dispenses: when they cannot be had the cards say so. The medication keys are
    /// read for every drug: TKIs for the lines, the others for interactions (clinical specification §11).
    /// </summary>
    public static readonly IReadOnlyList<PrefetchKey> PrefetchKeys =
    [
        new("patient", "Patient/{{context.patientId}}", false, "age (TFR needs ≥ 18)"),
        new("bcrAbl1", $"Observation?patient={{{{context.patientId}}}}&code={BcrAbl1Codes}&_sort=-date&_count=200", true,
            "BCR::ABL1 results on the International Scale, and non-IS ones so they can be reported as such"),
        new("mutations", $"Observation?patient={{{{context.patientId}}}}&code={MutationCodes}&_sort=-date&_count=50", false,
            "kinase-domain mutation results"),
        new("medicationRequests", "MedicationRequest?patient={{context.patientId}}&_count=200", true,
            "TKI orders of every status: stopped and completed lines are the therapy history"),
        new("medicationStatements", "MedicationStatement?patient={{context.patientId}}&_count=200", false,
            "TKI history recorded as statements"),
        new("conditions", "Condition?patient={{context.patientId}}&_count=100", true, "CML diagnosis and phase; pregnancy (SNOMED CT 77386006)"),
        new("serviceRequests", $"ServiceRequest?patient={{{{context.patientId}}}}&code={OrderCodes}&_count=50", false,
            "pending mutation-analysis and BCR::ABL1 orders, so a test already ordered is not suggested again"),
        new("pregnancy", $"Observation?patient={{{{context.patientId}}}}&code={Codes.Loinc}|{Codes.PregnancyStatus}&_sort=-date&_count=1", false,
            "the latest pregnancy status: no draft TKI order is suggested in pregnancy"),
        new("medicationDispenses", "MedicationDispense?patient={{context.patientId}}&_sort=-whenhandedover&_count=200", false,
            "dispenses: adherence (proportion of days covered) of the current TKI"),
    ];

    public static CdsServiceDescriptor Descriptor { get; } = new()
    {
        Hook = Hook,
        Title = Title,
        Description = Description,
        Id = Id,
        Prefetch = PrefetchKeys.ToDictionary(k => k.Key, k => k.Template),
        UsageRequirements = "Send the prefetch keys, or a fhirServer (with fhirAuthorization) the service may query. "
            + "BCR::ABL1 results must be on the International Scale (LOINC 69380-4) to be assessed.",
    };

    public static DiscoveryResponse Discovery { get; } = new([Descriptor]);
}
