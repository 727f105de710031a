using System.Globalization;
using System.Text.RegularExpressions;
using CmlCds.Clinical.Patients;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Mapping;

/// <summary>
/// Reads BCR::ABL1 kinase domain mutation results (clinical specification §1): LOINC 55135-8, or a Genomics
/// Reporting variant (LOINC 69548-6) whose gene is ABL1, <b>variant by variant, each with its own call</b>.
/// <list type="number">
/// <item>Structured first: each component LOINC 48005-3 (protein change, p.HGVS <c>p.Thr315Ile</c> or short
/// <c>T315I</c>) is a variant. The components after it, up to the next 48005-3, give its call: a presence call
/// (component 69548-6, LA9633-4 present / LA9634-2 absent, or detected / not detected), a clinical significance
/// (53037-8: benign and likely benign are not resistance mutations) and the variant allele frequency (81258-6).
/// A variant without a call of its own takes the observation's value (present / absent), and otherwise counts as
/// detected: a report that names a variant and does not say it is absent is read as finding it.</item>
/// <item>Text only as a fallback (no 48005-3 variant): the value text read clause by clause (split on <c>;</c>,
/// <c>,</c>, a full stop and new lines). A protein change in a clause that also says not detected / negative /
/// absent is absent; in any other clause it is <b>detected</b> (a list such as "T315I, F317L: not detected" reads
/// T315I as detected: wrong, if at all, towards caution). A text reading always adds a
/// <c>mut.read-from-text</c> note naming what was read. Reading taken: a value that holds nothing but protein
/// changes (<c>"T315I"</c>, <c>"p.Thr315Ile"</c>) is not prose; it names the variants found, with no note.</item>
/// </list>
/// A report is "no mutation detected" only when no variant is called detected; one protein change called both
/// ways is detected (the safer reading). A report that names no variant and does not say negative is unreadable
/// and set aside.
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

        var observationCall = Call(o.ValueCodeableConcept);
        var structured = Structured(o, observationCall);
        if (structured.Variants.Count > 0)
        {
            var result = new MutationResult(o.LocalReference, date, Merge(structured.Variants), structured.FromText);
            if (structured.FromText) NoteText(notes, o, result);
            return result;
        }

        var texts = Texts(o).ToList();
        var read = texts.SelectMany(ReadClauses).ToList();
        if (read.Count > 0)
        {
            // A value that is nothing but protein changes ("T315I", "p.Thr315Ile") names the variants found: no prose
            // to misread, so no note; the observation's own call (absent) still applies.
            var bare = texts.TrueForAll(IsBare);
            if (bare && observationCall == false) read = read.Select(v => v with { Detected = false }).ToList();
            var result = new MutationResult(o.LocalReference, date, Merge(read), ReadFromText: !bare);
            if (!bare) NoteText(notes, o, result);
            return result;
        }
        if (observationCall == false || o.ValueCodeableConcept.AnyIn(Codes.NotDetectedValues) || texts.Exists(t => NegativeReport().IsMatch(t)))
            return new MutationResult(o.LocalReference, date, []);
        notes.Add(new DataQualityNote(DataQualityCodes.MutationUnreadable, o.LocalReference, date,
            texts.Count == 0 ? "Mutation result without a protein change." : $"Protein change '{texts[0]}' cannot be read."));
        return null;
    }

    private static void NoteText(List<DataQualityNote> notes, Observation o, MutationResult result) =>
        notes.Add(new DataQualityNote(DataQualityCodes.MutationReadFromText, o.LocalReference, result.Date,
            $"Mutation report read from its text: {string.Join("; ", result.Variants.Select(v => $"{v.ProteinChange} {(v.Detected ? "detected" : "not detected")}"))}. Check the report if this reading looks wrong.",
            SetAside: false));

    /// <summary>The variants of the 48005-3 components, each with the calls that follow it.</summary>
    private static (List<MutationVariant> Variants, bool FromText) Structured(Observation o, bool? observationCall)
    {
        var variants = new List<MutationVariant>();
        var fromText = false;
        var current = new List<(string Change, bool? Call)>();
        bool? call = null;
        var benign = false;
        decimal? vaf = null;

        void Flush()
        {
            foreach (var (change, own) in current)
                variants.Add(new MutationVariant(change, own ?? call ?? observationCall ?? true, benign, vaf));
            current.Clear();
            call = null; benign = false; vaf = null;
        }

        foreach (var c in o.Component ?? [])
        {
            if (c.Code?.Has(Codes.Loinc, Codes.AminoAcidChange) == true)
            {
                Flush();
                foreach (var code in c.ValueCodeableConcept?.Coding ?? [])
                    foreach (var change in Parse(code.Code ?? "").Concat(Parse(code.Display ?? ""))) current.Add((change, null));
                if (current.Count > 0) continue;
                foreach (var text in new[] { c.ValueString, c.ValueCodeableConcept?.Text })
                {
                    if (text is null) continue;
                    if (IsBare(text)) { foreach (var change in Parse(text)) current.Add((change, null)); }
                    else
                    {
                        var clauses = ReadClauses(text).ToList();
                        fromText |= clauses.Count > 0;
                        current.AddRange(clauses.Select(v => (v.ProteinChange, (bool?)v.Detected)));
                    }
                }
            }
            else if (c.Code?.Has(Codes.Loinc, Codes.GenomicVariant) == true) call = Call(c.ValueCodeableConcept) ?? call;
            else if (c.Code?.Has(Codes.Loinc, Codes.ClinicalSignificance) == true) benign = c.ValueCodeableConcept.AnyIn(Codes.BenignSignificance);
            else if (c.Code?.Has(Codes.Loinc, Codes.AlleleFrequency) == true && c.Value is Quantity { Value: { } v }) vaf = VafPercent(v, c.Value as Quantity);
        }
        Flush();
        return (variants, fromText);
    }

    /// <summary>VAF as a percentage: a unit of % as given, a fraction (no unit or "1") times 100.</summary>
    private static decimal VafPercent(decimal value, Quantity? q) =>
        q?.Code is "%" || q?.Unit is "%" || value > 1 ? value : Math.Round(value * 100m, 2);

    /// <summary>Present (true), absent (false), or no call.</summary>
    private static bool? Call(CodeableConcept? value) =>
        value.AnyIn(Codes.VariantPresent) ? true
        : value.AnyIn(Codes.VariantAbsent) || value.AnyIn(Codes.NotDetectedValues) ? false
        : null;

    /// <summary>One protein change per variant; detected wins over not detected for the same change.</summary>
    private static IReadOnlyList<MutationVariant> Merge(IEnumerable<MutationVariant> variants) =>
        variants.GroupBy(v => v.ProteinChange, StringComparer.Ordinal)
            .Select(g => g.FirstOrDefault(v => v.Detected && !v.Benign) ?? g.FirstOrDefault(v => v.Detected) ?? g.First())
            .ToList();

    /// <summary>Each clause's protein changes, absent when the clause itself says so, detected otherwise (§1).</summary>
    internal static IEnumerable<MutationVariant> ReadClauses(string text)
    {
        foreach (var clause in ClauseBreak().Split(text))
        {
            var absent = Negative().IsMatch(clause);
            foreach (var change in Parse(clause)) yield return new MutationVariant(change, !absent);
        }
    }

    /// <summary>Nothing but protein changes and punctuation: a structured value, not prose.</summary>
    private static bool IsBare(string text) =>
        Parse(text).Any() && ProteinChange().Replace(text, "").All(ch => char.IsWhiteSpace(ch) || ch is ',' or ';' or '/' or '(' or ')');

    private static string? GeneOf(Observation o)
    {
        foreach (var c in o.Component ?? [])
            if (c.Code?.Has(Codes.Loinc, Codes.GeneStudied) == true && c.Value is CodeableConcept cc)
                return cc.Coding?.FirstOrDefault()?.Display ?? cc.Coding?.FirstOrDefault()?.Code ?? cc.Text;
        return null;
    }

    /// <summary>The report's own text: valueString, valueCodeableConcept text and displays.</summary>
    private static IEnumerable<string> Texts(Observation o)
    {
        if (o.ValueString is { } s) yield return s;
        if (o.ValueCodeableConcept is { } cc)
        {
            if (cc.Text is { } t) yield return t;
            foreach (var c in cc.Coding ?? []) if (c.Display is { } d) yield return d;
        }
    }

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

    /// <summary>Clause breaks: <c>;</c>, <c>,</c>, a full stop before a space or the end (not the one in <c>p.</c>), new lines.</summary>
    [GeneratedRegex(@"[;,\r\n]|\.(?=\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseBreak();

    /// <summary>Words that make a clause's protein changes absent (§1: not detected / negative / absent).</summary>
    [GeneratedRegex(@"\b(?:not\s+detected|undetected|not\s+found|not\s+present|negative|absent)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Negative();

    /// <summary>A report that names no variant and says none was found.</summary>
    [GeneratedRegex(@"\b(?:not\s+detected|none\s+detected|no\s+(?:\w+\s+)?mutations?|negative|absent|wild[\s-]?type)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NegativeReport();

    private static char? OneLetter(string three) => three switch
    {
        "Ala" => 'A', "Arg" => 'R', "Asn" => 'N', "Asp" => 'D', "Cys" => 'C', "Gln" => 'Q', "Glu" => 'E',
        "Gly" => 'G', "His" => 'H', "Ile" => 'I', "Leu" => 'L', "Lys" => 'K', "Met" => 'M', "Phe" => 'F',
        "Pro" => 'P', "Ser" => 'S', "Thr" => 'T', "Trp" => 'W', "Tyr" => 'Y', "Val" => 'V',
        _ => null,
    };
}
