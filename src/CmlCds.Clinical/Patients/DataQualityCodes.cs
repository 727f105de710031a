namespace CmlCds.Clinical.Patients;

/// <summary>Stable codes of data-quality notes (also a CodeSystem in fhir-profiles/). Never renumber or reuse.</summary>
public static class DataQualityCodes
{
    public const string NotInternationalScale = "obs.not-international-scale";
    public const string AtypicalTranscript = "obs.atypical-transcript";
    public const string UnknownUnit = "obs.unknown-unit";
    public const string NoValue = "obs.no-value";
    public const string UnsupportedComparator = "obs.unsupported-comparator";
    public const string StatusNotFinal = "obs.status-not-final";
    public const string EnteredInError = "obs.entered-in-error";
    public const string NoDate = "obs.no-date";
    public const string ImpreciseDate = "obs.imprecise-date";
    public const string FutureDate = "obs.future-date";
    public const string InsufficientSensitivity = "obs.insufficient-sensitivity";
    public const string InvalidFhir = "fhir.invalid";
    public const string MedicationMatchedByName = "med.matched-by-name";
    public const string MedicationNoStart = "med.no-start-date";
    public const string MedicationStatusNotUsed = "med.status-not-used";
    public const string MedicationImpreciseStart = "med.imprecise-start";
    public const string ConditionNotConfirmed = "condition.not-confirmed";
    public const string NoCmlDiagnosis = "patient.no-cml-diagnosis";
    public const string PrefetchOperationOutcome = "prefetch.operation-outcome";
    public const string DataUnavailable = "prefetch.unavailable";
    public const string MutationUnreadable = "mutation.unreadable";
    public const string UnrecognisedCode = "obs.unrecognised-code";
    public const string OrderNoDate = "order.no-date";
    public const string MedicationNoEnd = "med.no-end-date";
    public const string SampleNotEvaluable = "obs.sample-not-evaluable";
    public const string SensitivityNotReported = "obs.sensitivity-not-reported";
    public const string LowControlGeneCopies = "obs.low-control-gene-copies";
    public const string SameDayDisagreement = "obs.same-day-disagreement";
    public const string AtypicalTranscriptCoexpressed = "obs.atypical-transcript-coexpressed";
    public const string MutationReadFromText = "mut.read-from-text";
    public const string MedicationNoActiveOrder = "med.no-active-order";
    public const string DispenseStatusNotUsed = "dispense.status-not-used";
    public const string DispenseNoHandoverDate = "dispense.no-handover-date";
    public const string DispenseSupplyUnreadable = "dispense.supply-unreadable";

    // A resource used as read, but not as the project's profile (fhir-profiles/) says a sender writes it.
    public const string ProfileCardinality = "profile.cardinality";
    public const string ProfileType = "profile.type";
    public const string ProfileFixedValue = "profile.fixed-value";
    public const string ProfilePattern = "profile.pattern";
    public const string ProfileBinding = "profile.binding";
    public const string ProfileReferenceTarget = "profile.reference-target";
    public const string ProfileClosedSlicing = "profile.closed-slicing";

    /// <summary>What each code means, in the words a card uses.</summary>
    public static readonly IReadOnlyDictionary<string, string> Meaning = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NotInternationalScale] = "not on the International Scale",
        [AtypicalTranscript] = "atypical transcript",
        [UnknownUnit] = "unit not %IS",
        [NoValue] = "no usable value",
        [UnsupportedComparator] = "comparator cannot be scored",
        [StatusNotFinal] = "not final",
        [EnteredInError] = "entered in error",
        [NoDate] = "no date",
        [ImpreciseDate] = "date without a day",
        [FutureDate] = "dated in the future",
        [InsufficientSensitivity] = "too few control-gene copies",
        [InvalidFhir] = "invalid FHIR",
        [MedicationMatchedByName] = "TKI recognised by name only",
        [MedicationNoStart] = "TKI without start date",
        [MedicationStatusNotUsed] = "TKI order not given",
        [MedicationImpreciseStart] = "TKI start without a day",
        [ConditionNotConfirmed] = "diagnosis not confirmed",
        [NoCmlDiagnosis] = "no CML diagnosis on file",
        [PrefetchOperationOutcome] = "FHIR server error",
        [DataUnavailable] = "data not available",
        [MutationUnreadable] = "mutation result unreadable",
        [UnrecognisedCode] = "not a BCR::ABL1 or mutation code",
        [OrderNoDate] = "test order without a date",
        [MedicationNoEnd] = "TKI stopped without an end date",
        [SampleNotEvaluable] = "sample not evaluable, repeat the test",
        [SensitivityNotReported] = "sensitivity not reported",
        [LowControlGeneCopies] = "few control-gene copies",
        [SameDayDisagreement] = "same-day results disagree",
        [AtypicalTranscriptCoexpressed] = "atypical transcript co-expressed",
        [MutationReadFromText] = "mutation result read from text",
        [MedicationNoActiveOrder] = "no active TKI order",
        [DispenseStatusNotUsed] = "TKI dispense not handed over",
        [DispenseNoHandoverDate] = "TKI dispense without a handover date",
        [DispenseSupplyUnreadable] = "TKI dispense without a readable supply",
        [ProfileCardinality] = "profile: element missing or repeated",
        [ProfileType] = "profile: element of a type not allowed",
        [ProfileFixedValue] = "profile: value other than the fixed value",
        [ProfilePattern] = "profile: value not matching the pattern",
        [ProfileBinding] = "profile: code outside the ValueSet",
        [ProfileReferenceTarget] = "profile: reference to the wrong resource type",
        [ProfileClosedSlicing] = "profile: item the profile does not allow",
    };
}
