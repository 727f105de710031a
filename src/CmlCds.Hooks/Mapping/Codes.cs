using System.Collections.Frozen;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Hooks.Mapping;

/// <summary>Every code system and code the service reads or writes (RULES.md §1; ValueSets in fhir-profiles/).</summary>
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

    /// <summary>BCR::ABL1 major breakpoint fusion / control transcript, International Scale.</summary>
    public const string BcrAbl1International = "69380-4";
    /// <summary>BCR::ABL1 ratios not on the International Scale.</summary>
    public static readonly FrozenSet<string> BcrAbl1NonIs = FrozenSet.Create("46434-7", "55147-3");
    /// <summary>e1a2 (minor breakpoint, atypical for CML) BCR::ABL1.</summary>
    public const string BcrAbl1E1a2 = "52132-8";

    public const string MutationAnalysis = "55135-8";
    public const string GenomicVariant = "69548-6";
    public const string AminoAcidChange = "48005-3";
    public const string GeneStudied = "48018-6";

    /// <summary>SNOMED CT "not detected".</summary>
    public const string NotDetected = "260415000";

    public const string ComponentAbl1Copies = "abl1-copies";
    public const string ComponentGusbCopies = "gusb-copies";
    public const string ComponentTranscriptType = "transcript-type";

    public const string CmlSnomed = "92818009";
    public static readonly FrozenSet<string> CmlIcd10Cm = FrozenSet.Create("C92.10", "C92.11", "C92.12");
    public const string CmlIcd10 = "C92.1";

    public static readonly FrozenDictionary<string, Tki> TkiByAtc = new Dictionary<string, Tki>
    {
        ["L01EA01"] = Tki.Imatinib, ["L01EA02"] = Tki.Dasatinib, ["L01EA03"] = Tki.Nilotinib,
        ["L01EA04"] = Tki.Bosutinib, ["L01EA05"] = Tki.Ponatinib, ["L01EA06"] = Tki.Asciminib,
    }.ToFrozenDictionary();

    /// <summary>RxNorm ingredient RxCUIs (RULES.md §1; asciminib's is unverified and therefore not listed).</summary>
    public static readonly FrozenDictionary<string, Tki> TkiByRxNorm = new Dictionary<string, Tki>
    {
        ["282388"] = Tki.Imatinib, ["475342"] = Tki.Dasatinib, ["662281"] = Tki.Nilotinib,
        ["1307619"] = Tki.Bosutinib, ["1364347"] = Tki.Ponatinib,
    }.ToFrozenDictionary();

    /// <summary>Ingredient and brand names matched in text or display (RULES.md §1), with a data-quality note.</summary>
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
}
