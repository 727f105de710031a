using System.Collections.Frozen;
using CmlCds.Clinical.Therapy;
using CmlCds.Fhir.Conformance;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Every code system and code the service reads or writes (clinical specification §1). What a resource is recognised by comes
/// from the ValueSets of fhir-profiles/ (<see cref="ConformancePackage.Embedded"/>), the same ones the profiles bind
/// to, so the published profiles and the mapping cannot drift; the single codes below are the ones the service
/// writes (suggestions, prefetch) or must tell apart within a ValueSet, and a test checks each is in its ValueSet.
/// </summary>
public static class Codes
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string Atc = "http://www.whocc.no/atc";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>Canonical base of the project's profiles, ValueSets and CodeSystems.</summary>
    public const string CanonicalBase = "http://cmlcds.org/fhir";
    public const string CardTopicSystem = CanonicalBase + "/CodeSystem/card-topic";
    public const string ComponentSystem = CanonicalBase + "/CodeSystem/observation-component";
    public const string DataQualitySystem = CanonicalBase + "/CodeSystem/data-quality";
    public const string PhaseSystem = CanonicalBase + "/CodeSystem/cml-phase";

    /// <summary>BCR::ABL1 %IS results (LOINC 69380-4).</summary>
    public static readonly ValueSet BcrAbl1Is = Load("bcr-abl1-is-codes");
    /// <summary>BCR::ABL1 ratios recognised but not on the International Scale (set aside with a reason).</summary>
    public static readonly ValueSet BcrAbl1NonIs = Load("bcr-abl1-non-is-codes");
    public static readonly ValueSet KdMutation = Load("kd-mutation-codes");
    public static readonly ValueSet NotDetectedValues = Load("not-detected");
    public static readonly ValueSet ScorableComparators = Load("scorable-comparators");
    public static readonly ValueSet TkiMedications = Load("tki-medications");
    public static readonly ValueSet CmlDiagnosis = Load("cml-diagnosis");
    public static readonly ValueSet CmlPhases = Load("cml-phase");
    public static readonly ValueSet TranscriptTypes = Load("transcript-types");
    /// <summary>Presence calls that read as detected (a variant, or an e1a2 screen).</summary>
    public static readonly ValueSet VariantPresent = Load("variant-present");
    /// <summary>Presence calls that read as not detected.</summary>
    public static readonly ValueSet VariantAbsent = Load("variant-absent");
    /// <summary>Clinical significance answers that make a variant not a resistance mutation.</summary>
    public static readonly ValueSet BenignSignificance = Load("benign-significance");
    /// <summary>statusReason / reasonCode codes read as intolerance of the TKI.</summary>
    public static readonly ValueSet IntoleranceReasons = Load("tki-intolerance-reasons");
    public static readonly ValueSet PregnancyCodes = Load("pregnancy-codes");

    /// <summary>BCR::ABL1 major breakpoint fusion / control transcript, International Scale (written on suggested orders).</summary>
    public const string BcrAbl1International = "69380-4";
    /// <summary>e1a2 (minor breakpoint, atypical for CML) BCR::ABL1: in <see cref="BcrAbl1NonIs"/>, reported with its own reason.</summary>
    public const string BcrAbl1E1a2 = "52132-8";

    public const string MutationAnalysis = "55135-8";
    /// <summary>Genomics Reporting variant: in <see cref="KdMutation"/>, read only with gene studied ABL1.</summary>
    public const string GenomicVariant = "69548-6";
    public const string AminoAcidChange = "48005-3";
    public const string GeneStudied = "48018-6";
    /// <summary>Clinical significance of a variant (component).</summary>
    public const string ClinicalSignificance = "53037-8";
    /// <summary>Variant allele frequency (component).</summary>
    public const string AlleleFrequency = "81258-6";

    /// <summary>Pregnancy (SNOMED CT Condition code), in <see cref="PregnancyCodes"/>.</summary>
    public const string PregnancyCondition = "77386006";
    /// <summary>Pregnancy status (LOINC Observation code), in <see cref="PregnancyCodes"/>.</summary>
    public const string PregnancyStatus = "82810-3";
    /// <summary>The pregnancy status answer "pregnant" (LOINC answer), in <see cref="PregnancyCodes"/>.</summary>
    public const string Pregnant = "LA15173-0";

    public const string ComponentAbl1Copies = "abl1-copies";
    public const string ComponentGusbCopies = "gusb-copies";
    public const string ComponentTranscriptType = "transcript-type";
    /// <summary>The transcript-type code for e13a2 and e14a2 co-expressed.</summary>
    public const string TranscriptCoexpressed = "e13a2-e14a2";

    /// <summary>The TKI of each ATC code in <see cref="TkiMedications"/> (its display is the ingredient).</summary>
    public static readonly FrozenDictionary<string, Tki> TkiByAtc = Drugs(Atc);

    /// <summary>RxNorm ingredient RxCUIs in <see cref="TkiMedications"/> (asciminib's is unverified and therefore not listed).</summary>
    public static readonly FrozenDictionary<string, Tki> TkiByRxNorm = Drugs(RxNorm);

    /// <summary>Ingredient and brand names matched in text or display (clinical specification §1), with a data-quality note.</summary>
    public static readonly IReadOnlyList<(string Name, Tki Drug)> TkiNames =
    [
        ("imatinib", Tki.Imatinib), ("gleevec", Tki.Imatinib), ("glivec", Tki.Imatinib),
        ("dasatinib", Tki.Dasatinib), ("sprycel", Tki.Dasatinib),
        ("nilotinib", Tki.Nilotinib), ("tasigna", Tki.Nilotinib),
        ("bosutinib", Tki.Bosutinib), ("bosulif", Tki.Bosutinib),
        ("ponatinib", Tki.Ponatinib), ("iclusig", Tki.Ponatinib),
        ("asciminib", Tki.Asciminib), ("scemblix", Tki.Asciminib),
    ];

    public static string AtcOf(Tki tki) => TkiByAtc.First(kv => kv.Value == tki).Key;

    /// <summary>Whether any coding of the concept is in the ValueSet.</summary>
    public static bool AnyIn(this CodeableConcept? concept, ValueSet valueSet) =>
        concept?.Coding?.Exists(c => valueSet.Contains(c.System, c.Code)) == true;

    /// <summary>A search token list (<c>system|code,...</c>) of every code of the ValueSets, in file order.</summary>
    public static string SearchTokens(params ValueSet[] valueSets) =>
        string.Join(",", valueSets.SelectMany(v => v.Concepts).Select(c => $"{c.System}|{c.Code}"));

    private static ValueSet Load(string id) => ConformancePackage.Embedded.ValueSet($"{CanonicalBase}/ValueSet/{id}");

    private static FrozenDictionary<string, Tki> Drugs(string system) =>
        TkiMedications.In(system).ToFrozenDictionary(c => c.Code,
            c => Enum.TryParse<Tki>(c.Display, ignoreCase: true, out var drug) ? drug
                : throw new ConformancePackageException($"tki-medications: the display of {system}|{c.Code} ('{c.Display}') is not a TKI the service knows."));
}
