using System.Text.RegularExpressions;
using CmlCds.Clinical.Patients;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Reads BCR::ABL1 kinase domain mutation results (RULES.md §1): LOINC 55135-8, or a Genomics Reporting variant
/// (LOINC 69548-6) whose gene is ABL1. The protein change is read from <c>valueString</c>,
/// <c>valueCodeableConcept.text</c> or a component LOINC 48005-3, in p.HGVS (<c>p.Thr315Ile</c>) or short form
/// (<c>T315I</c>), and normalised to the short form.
/// </summary>
internal static partial class MutationMapper
{
    public static bool IsMutationAnalysis(Observation o) => o.Code.AnyIn(Codes.KdMutation);

    public static MutationResult? Read(Observation o, DateOnly today, List<DataQualityNote> notes)
    {
        if (o.Status is "entered-in-error" or "cancelled" or "preliminary" or "registered")
        {
            notes.Add(new DataQualityNote(DataQualityCodes.StatusNotFinal, o.LocalReference, null, $"Mutation result with status '{o.Status}' not used."));
            return null;
        }
        if (o.Code?.Has(Codes.Loinc, Codes.GenomicVariant) == true && !o.Code.Has(Codes.Loinc, Codes.MutationAnalysis))
        {
            var gene = GeneOf(o);
            if (gene is null)
            {
                notes.Add(new DataQualityNote(DataQualityCodes.MutationUnreadable, o.LocalReference, null, "Variant without a gene studied (LOINC 48018-6): not read as ABL1."));
                return null;
            }
            if (!gene.Contains("ABL1", StringComparison.OrdinalIgnoreCase) && gene != "HGNC:76") return null; // another gene's variant
        }
        if (PatientHistoryMapper.ClinicalDate(PatientHistoryMapper.ObservationDateText(o), o.LocalReference, today, notes) is not { } date)
            return null;

        var texts = Texts(o).ToList();
        if (o.ValueCodeableConcept.AnyIn(Codes.NotDetectedValues) || texts.Exists(IsNegative))
            return new MutationResult(o.LocalReference, date, []);
        var found = texts.SelectMany(Parse).Distinct(StringComparer.Ordinal).ToList();
        if (found.Count == 0)
        {
            notes.Add(new DataQualityNote(DataQualityCodes.MutationUnreadable, o.LocalReference, date,
                texts.Count == 0 ? "Mutation result without a protein change." : $"Protein change '{texts[0]}' cannot be read."));
            return null;
        }
        return new MutationResult(o.LocalReference, date, found);
    }

    private static string? GeneOf(Observation o)
    {
        foreach (var c in o.Component ?? [])
            if (c.Code?.Has(Codes.Loinc, Codes.GeneStudied) == true && c.Value is CodeableConcept cc)
                return cc.Coding?.FirstOrDefault()?.Display ?? cc.Coding?.FirstOrDefault()?.Code ?? cc.Text;
        return null;
    }

    private static IEnumerable<string> Texts(Observation o)
    {
        if (o.ValueString is { } s) yield return s;
        if (o.ValueCodeableConcept is { } cc)
        {
            if (cc.Text is { } t) yield return t;
            foreach (var c in cc.Coding ?? []) if (c.Display is { } d) yield return d;
        }
        foreach (var c in o.Component ?? [])
        {
            if (c.Code?.Has(Codes.Loinc, Codes.AminoAcidChange) != true) continue;
            if (c.ValueString is { } cs) yield return cs;
            if (c.ValueCodeableConcept is { } ccc)
            {
                if (ccc.Text is { } ct) yield return ct;
                foreach (var x in ccc.Coding ?? []) if ((x.Code ?? x.Display) is { } code) yield return code;
            }
        }
    }

    private static bool IsNegative(string text) =>
        text.Contains("no mutation", StringComparison.OrdinalIgnoreCase)
        || text.Contains("not detected", StringComparison.OrdinalIgnoreCase)
        || text.Contains("none detected", StringComparison.OrdinalIgnoreCase)
        || text.Contains("wild type", StringComparison.OrdinalIgnoreCase)
        || text.Contains("wild-type", StringComparison.OrdinalIgnoreCase)
        || text.Trim().Equals("negative", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every protein change in the text, as one-letter short form (<c>p.Thr315Ile</c> → <c>T315I</c>).</summary>
    internal static IEnumerable<string> Parse(string text)
    {
        foreach (Match m in ProteinChange().Matches(text))
        {
            if (m.Groups["ref3"].Success)
            {
                if (OneLetter(m.Groups["ref3"].Value) is { } r && OneLetter(m.Groups["alt3"].Value) is { } a)
                    yield return $"{r}{m.Groups["pos3"].Value}{a}";
            }
            else
            {
                yield return $"{m.Groups["ref1"].Value}{m.Groups["pos1"].Value}{m.Groups["alt1"].Value}";
            }
        }
    }

    [GeneratedRegex(@"\b(?:p\.)?\(?(?:(?<ref3>[A-Z][a-z]{2})(?<pos3>\d{1,4})(?<alt3>[A-Z][a-z]{2})|(?<ref1>[ACDEFGHIKLMNPQRSTVWY])(?<pos1>\d{1,4})(?<alt1>[ACDEFGHIKLMNPQRSTVWY]))\)?(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ProteinChange();

    private static char? OneLetter(string three) => three switch
    {
        "Ala" => 'A', "Arg" => 'R', "Asn" => 'N', "Asp" => 'D', "Cys" => 'C', "Gln" => 'Q', "Glu" => 'E',
        "Gly" => 'G', "His" => 'H', "Ile" => 'I', "Leu" => 'L', "Lys" => 'K', "Met" => 'M', "Phe" => 'F',
        "Pro" => 'P', "Ser" => 'S', "Thr" => 'T', "Trp" => 'W', "Tyr" => 'Y', "Val" => 'V',
        _ => null,
    };
}
