namespace CmlCds.Clinical;

/// <summary>The guideline whose milestone table is in force. ELN 2020 is the default (the clinical specification, sources).</summary>
public enum Guideline
{
    /// <summary>Hochhaus A et al. European LeukemiaNet 2020 recommendations for treating CML. Leukemia 2020;34:966–984.</summary>
    Eln2020,
    /// <summary>NCCN Clinical Practice Guidelines in Oncology, CML (V.1.2026).</summary>
    Nccn,
}

/// <summary>Citations as cards and documents print them.</summary>
public static class Sources
{
    public const string Eln2020Label = "ELN 2020";
    public const string Eln2020Citation = "Hochhaus A et al. European LeukemiaNet 2020 recommendations for treating chronic myeloid leukemia. Leukemia 2020;34:966–984";
    public const string Eln2020Url = "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7214240/";
    public const string NccnLabel = "NCCN CML V.1.2026";
    public const string NccnCitation = "NCCN Clinical Practice Guidelines in Oncology: Chronic Myeloid Leukemia, Version 1.2026";
    public const string NccnUrl = "https://www.nccn.org/guidelines/guidelines-detail?category=1&id=1427";
    public const string Cross2015Citation = "Cross NCP et al. Laboratory recommendations for scoring deep molecular responses following treatment for CML. Leukemia 2015;29:999–1003";
    public const string PdqCitation = "NCI PDQ Chronic Myeloid Leukemia Treatment, Health Professional Version";
    public const string PdqUrl = "https://www.cancer.gov/types/leukemia/hp/cml-treatment-pdq";

    public static string Label(Guideline g) => g == Guideline.Nccn ? NccnLabel : Eln2020Label;
    public static string Citation(Guideline g) => g == Guideline.Nccn ? NccnCitation : Eln2020Citation;
    public static string Url(Guideline g) => g == Guideline.Nccn ? NccnUrl : Eln2020Url;
}
