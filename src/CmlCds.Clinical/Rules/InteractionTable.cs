using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Rules;

/// <summary>The interacting classes of the table (clinical specification §11).</summary>
public enum InteractionClass { ProtonPumpInhibitor, H2Antagonist, StrongCyp3a4Inhibitor, StrongCyp3a4Inducer, QtProlonging }

/// <summary>What the label asks for.</summary>
public enum InteractionAdvice
{
    /// <summary>Avoid the combination (with what to do if it cannot be avoided).</summary>
    Avoid,
    /// <summary>Allowed with care: monitor, or use with caution.</summary>
    Monitor,
    /// <summary>Allowed when taken apart from the TKI dose.</summary>
    SeparateDoses,
}

/// <summary>A drug the table knows, with its ATC code and the names it goes by.</summary>
/// <param name="Atc">The WHO ATC code of the single ingredient.</param>
/// <param name="Names">Lower-case ingredient names matched in a medication's text or display (first: the name shown).</param>
public sealed record InteractingDrug(string Atc, InteractionClass Class, params string[] Names)
{
    public string Name => Names[0];
}

/// <summary>One row: a TKI with an interacting class, the label's advice and where the label says it.</summary>
/// <param name="Advice">The label's advice, in the project's words (never quoted verbatim), as a clause after "…:".</param>
/// <param name="Source">The label section, e.g. "SPRYCEL (dasatinib) US prescribing information, section 7.1".</param>
public sealed record InteractionRow(Tki Drug, InteractionClass Class, InteractionAdvice Kind, string Advice, string Source);

/// <summary>A medication on file that a row applies to.</summary>
public sealed record InteractionHit(OtherMedication Medication, InteractingDrug Drug, InteractionRow Row);

/// <summary>
/// TKI × interacting drug class (clinical specification §11), each row citing the TKI's US prescribing information,
/// section 7 (drug interactions). Rendered into the clinical tables page.
/// <para>Verification: each row's advice was checked against the label text as reproduced by drug-information copies of
/// the US and other prescribing information (the label documents themselves were not readable in full this
/// time); a row that could not be confirmed is left out rather than written from memory. Left out for that reason:
/// asciminib with strong CYP3A4 inducers; imatinib, ponatinib and asciminib with acid-reducing agents. Nilotinib with
/// proton-pump inhibitors (not recommended) and H2 antagonists (about 10 hours before and 2 hours after the dose) was
/// confirmed against the 2013 revision of the Tasigna label's precautions.</para>
/// <para>A medication is matched to a drug by its ATC code (a class by its ATC group: A02BC proton-pump inhibitors,
/// A02BA H2 antagonists) or by an ingredient name in its text or display. A medication matched by nothing is
/// "not checked", never "no interaction"; one matched to a drug with no row for the current TKI is "not checked for
/// that TKI" too: a missing row means nobody verified the pair, not that the label is silent. Only a medication with a
/// row for the TKI counts as checked.</para>
/// </summary>
public static class InteractionTable
{
    /// <summary>ATC groups whose every member belongs to a class.</summary>
    public static readonly IReadOnlyList<(string AtcGroup, InteractionClass Class)> Groups =
    [
        ("A02BC", InteractionClass.ProtonPumpInhibitor),
        ("A02BA", InteractionClass.H2Antagonist),
    ];

    /// <summary>The drugs the table knows. The strong CYP3A4 inhibitors and inducers are those clinical specification §11 names;
    /// the QT-prolonging drugs are those the nilotinib label names as examples.</summary>
    public static readonly IReadOnlyList<InteractingDrug> Drugs =
    [
        new("A02BC01", InteractionClass.ProtonPumpInhibitor, "omeprazole"),
        new("A02BC02", InteractionClass.ProtonPumpInhibitor, "pantoprazole"),
        new("A02BC03", InteractionClass.ProtonPumpInhibitor, "lansoprazole"),
        new("A02BC04", InteractionClass.ProtonPumpInhibitor, "rabeprazole"),
        new("A02BC05", InteractionClass.ProtonPumpInhibitor, "esomeprazole"),
        new("A02BC06", InteractionClass.ProtonPumpInhibitor, "dexlansoprazole"),
        new("A02BA01", InteractionClass.H2Antagonist, "cimetidine"),
        new("A02BA02", InteractionClass.H2Antagonist, "ranitidine"),
        new("A02BA03", InteractionClass.H2Antagonist, "famotidine"),
        new("A02BA04", InteractionClass.H2Antagonist, "nizatidine"),
        new("J02AB02", InteractionClass.StrongCyp3a4Inhibitor, "ketoconazole"),
        new("J02AC02", InteractionClass.StrongCyp3a4Inhibitor, "itraconazole"),
        new("J02AC04", InteractionClass.StrongCyp3a4Inhibitor, "posaconazole"),
        new("J02AC03", InteractionClass.StrongCyp3a4Inhibitor, "voriconazole"),
        new("J01FA09", InteractionClass.StrongCyp3a4Inhibitor, "clarithromycin"),
        new("J05AE03", InteractionClass.StrongCyp3a4Inhibitor, "ritonavir"),
        new("V03AX03", InteractionClass.StrongCyp3a4Inhibitor, "cobicistat"),
        new("J04AB02", InteractionClass.StrongCyp3a4Inducer, "rifampicin", "rifampin"),
        new("N03AF01", InteractionClass.StrongCyp3a4Inducer, "carbamazepine"),
        new("N03AB02", InteractionClass.StrongCyp3a4Inducer, "phenytoin"),
        new("N06AX25", InteractionClass.StrongCyp3a4Inducer, "St John's wort", "st john's wort", "st. john's wort", "st john’s wort", "hypericum"),
        new("C01BD01", InteractionClass.QtProlonging, "amiodarone"),
        new("C01BA03", InteractionClass.QtProlonging, "disopyramide"),
        new("C01BA02", InteractionClass.QtProlonging, "procainamide"),
        new("C01BA01", InteractionClass.QtProlonging, "quinidine"),
        new("C07AA07", InteractionClass.QtProlonging, "sotalol"),
        new("P01BA01", InteractionClass.QtProlonging, "chloroquine"),
        new("P01BX01", InteractionClass.QtProlonging, "halofantrine"),
        new("N05AD01", InteractionClass.QtProlonging, "haloperidol"),
        new("N07BC02", InteractionClass.QtProlonging, "methadone"),
        new("J01MA14", InteractionClass.QtProlonging, "moxifloxacin"),
        // clarithromycin is also QT-prolonging (the nilotinib label names it among both)
        new("J01FA09", InteractionClass.QtProlonging, "clarithromycin"),
    ];

    private const string Sprycel = "SPRYCEL (dasatinib) US prescribing information, section 7.1";
    private const string Bosulif = "BOSULIF (bosutinib) US prescribing information, section 7.1";
    private const string Tasigna = "TASIGNA (nilotinib) US prescribing information, boxed warning and section 7";
    private const string Gleevec = "GLEEVEC (imatinib) US prescribing information, section 7";
    private const string Iclusig = "ICLUSIG (ponatinib) US prescribing information, section 7.1";
    private const string Scemblix = "SCEMBLIX (asciminib) US prescribing information, section 7.1";

    public static readonly IReadOnlyList<InteractionRow> Rows =
    [
        new(Tki.Dasatinib, InteractionClass.ProtonPumpInhibitor, InteractionAdvice.Avoid,
            "avoid: it lowers dasatinib exposure; an antacid taken at least 2 hours before or after dasatinib may be used instead", Sprycel),
        new(Tki.Dasatinib, InteractionClass.H2Antagonist, InteractionAdvice.Avoid,
            "avoid: it lowers dasatinib exposure; an antacid taken at least 2 hours before or after dasatinib may be used instead", Sprycel),
        new(Tki.Dasatinib, InteractionClass.StrongCyp3a4Inhibitor, InteractionAdvice.Avoid,
            "avoid: it raises dasatinib exposure; if it cannot be avoided, reduce the dasatinib dose as the label says and monitor for toxicity", Sprycel),
        new(Tki.Dasatinib, InteractionClass.StrongCyp3a4Inducer, InteractionAdvice.Avoid,
            "avoid: it lowers dasatinib exposure; if it cannot be avoided, the label allows a higher dasatinib dose with monitoring for toxicity", Sprycel),
        new(Tki.Bosutinib, InteractionClass.ProtonPumpInhibitor, InteractionAdvice.Avoid,
            "avoid: it lowers bosutinib exposure; a short-acting antacid or an H2 antagonist taken more than 2 hours apart from bosutinib may be used instead", Bosulif),
        new(Tki.Bosutinib, InteractionClass.H2Antagonist, InteractionAdvice.SeparateDoses,
            "allowed apart from the dose: give it more than 2 hours before or after bosutinib", Bosulif),
        new(Tki.Bosutinib, InteractionClass.StrongCyp3a4Inhibitor, InteractionAdvice.Avoid,
            "avoid (moderate CYP3A inhibitors too): it raises bosutinib exposure", Bosulif),
        new(Tki.Bosutinib, InteractionClass.StrongCyp3a4Inducer, InteractionAdvice.Avoid,
            "avoid (moderate CYP3A inducers too): it lowers bosutinib exposure", Bosulif),
        new(Tki.Nilotinib, InteractionClass.StrongCyp3a4Inhibitor, InteractionAdvice.Avoid,
            "avoid: it raises nilotinib exposure and the risk of QT prolongation; if it cannot be avoided, follow the label's dose reduction and monitor the QT interval closely", Tasigna),
        new(Tki.Nilotinib, InteractionClass.StrongCyp3a4Inducer, InteractionAdvice.Avoid,
            "avoid: it lowers nilotinib exposure", Tasigna),
        new(Tki.Nilotinib, InteractionClass.ProtonPumpInhibitor, InteractionAdvice.Avoid,
            "not recommended: it lowers nilotinib exposure, a higher nilotinib dose does not make up for it and spacing the doses may not avoid it; an H2 antagonist (about 10 hours before and 2 hours after nilotinib) or an antacid (about 2 hours apart) may be used instead", Tasigna),
        new(Tki.Nilotinib, InteractionClass.H2Antagonist, InteractionAdvice.SeparateDoses,
            "allowed apart from the dose: give it about 10 hours before and about 2 hours after nilotinib", Tasigna),
        new(Tki.Nilotinib, InteractionClass.QtProlonging, InteractionAdvice.Avoid,
            "avoid: nilotinib prolongs the QT interval; if it cannot be avoided, monitor the QT interval closely", Tasigna),
        new(Tki.Imatinib, InteractionClass.StrongCyp3a4Inhibitor, InteractionAdvice.Monitor,
            "use with caution: it raises imatinib exposure; monitor for toxicity", Gleevec),
        new(Tki.Imatinib, InteractionClass.StrongCyp3a4Inducer, InteractionAdvice.Avoid,
            "it lowers imatinib exposure: choose an alternative if possible; if it cannot be avoided, the label raises the imatinib dose and asks for close monitoring of the response", Gleevec),
        new(Tki.Ponatinib, InteractionClass.StrongCyp3a4Inhibitor, InteractionAdvice.Avoid,
            "avoid: it raises ponatinib exposure; if it cannot be avoided, reduce the ponatinib dose as the label says", Iclusig),
        new(Tki.Ponatinib, InteractionClass.StrongCyp3a4Inducer, InteractionAdvice.Avoid,
            "avoid: it lowers ponatinib exposure", Iclusig),
        new(Tki.Asciminib, InteractionClass.StrongCyp3a4Inhibitor, InteractionAdvice.Monitor,
            "it raises asciminib exposure: at 200 mg twice daily, monitor closely for adverse reactions (itraconazole oral solution is the exception: it lowers asciminib exposure, avoid it at any dose)", Scemblix),
    ];

    /// <summary>
    /// Asciminib with itraconazole oral solution: its hydroxypropyl-β-cyclodextrin lowers asciminib exposure, the other
    /// way from the strong-inhibitor row (SCEMBLIX §7.1). Used in place of that row when the medication's text names a solution.
    /// </summary>
    public static readonly InteractionRow AsciminibItraconazoleOralSolution = new(Tki.Asciminib, InteractionClass.StrongCyp3a4Inhibitor, InteractionAdvice.Avoid,
        "avoid at any dose: itraconazole oral solution (with hydroxypropyl-β-cyclodextrin) lowers asciminib exposure and may reduce its efficacy", Scemblix);

    public static string ClassName(InteractionClass c) => c switch
    {
        InteractionClass.ProtonPumpInhibitor => "proton-pump inhibitor",
        InteractionClass.H2Antagonist => "H2 antagonist",
        InteractionClass.StrongCyp3a4Inhibitor => "strong CYP3A4 inhibitor",
        InteractionClass.StrongCyp3a4Inducer => "strong CYP3A4 inducer",
        InteractionClass.QtProlonging => "QT-prolonging drug",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>The drugs of the table this medication is (by ATC code or ATC group, else by ingredient name); empty: not checked.</summary>
    public static IReadOnlyList<InteractingDrug> Identify(OtherMedication medication)
    {
        var byCode = Drugs.Where(d => medication.AtcCodes.Contains(d.Atc, StringComparer.OrdinalIgnoreCase)).ToList();
        if (byCode.Count > 0) return byCode;
        // An ATC code of a class group not listed by ingredient (a newer PPI, say): the class, under the chart's name.
        var byGroup = Groups.Where(g => medication.AtcCodes.Any(a => a.StartsWith(g.AtcGroup, StringComparison.OrdinalIgnoreCase)))
            .Select(g => new InteractingDrug(medication.AtcCodes.First(a => a.StartsWith(g.AtcGroup, StringComparison.OrdinalIgnoreCase)), g.Class, medication.Name.ToLowerInvariant()))
            .ToList();
        if (byGroup.Count > 0) return byGroup;
        return Drugs.Where(d => d.Names.Any(n => medication.Names.Any(text => ContainsWord(text, n)))).ToList();
    }

    /// <summary>
    /// Checks the medications against the rows for <paramref name="tki"/>. A medication on file twice (an order and a
    /// statement) is one medication, by the drug it was matched to, else by its name.
    /// </summary>
    public static InteractionCheck Check(Tki tki, IEnumerable<OtherMedication> medications)
    {
        var hits = new List<InteractionHit>();
        var notChecked = new List<string>();
        var noRow = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var count = 0;
        foreach (var m in medications.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.SourceId, StringComparer.Ordinal))
        {
            // one medication on file twice is one medication; a combination keeps every ingredient another medication
            // has not brought already (an H. pylori pack beside a pantoprazole order still brings its clarithromycin)
            var drugs = Identify(m).Where(d => !seen.Contains(d.Name)).ToList();
            if (Identify(m).Count > 0 && drugs.Count == 0) continue;
            if (drugs.Count == 0 && !seen.Add(m.Name)) continue;
            foreach (var d in drugs) seen.Add(d.Name);
            count++;
            if (drugs.Count == 0) { notChecked.Add(m.Name); continue; }
            var before = hits.Count;
            foreach (var d in drugs)
                foreach (var row in Rows.Where(r => r.Drug == tki && r.Class == d.Class))
                    hits.Add(new InteractionHit(m, d, tki == Tki.Asciminib && d.Name == "itraconazole" && m.Names.Any(n => n.Contains("solution", StringComparison.OrdinalIgnoreCase))
                        ? AsciminibItraconazoleOralSolution : row));
            if (hits.Count == before) noRow.Add(m.Name);
        }
        return new InteractionCheck(tki, count, hits, notChecked, noRow);
    }

    private static bool ContainsWord(string text, string name)
    {
        var i = text.IndexOf(name, StringComparison.OrdinalIgnoreCase);
        while (i >= 0)
        {
            var before = i == 0 || !char.IsLetter(text[i - 1]);
            var after = i + name.Length >= text.Length || !char.IsLetter(text[i + name.Length]);
            if (before && after) return true;
            i = text.IndexOf(name, i + 1, StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }
}

/// <summary>The other medications checked against the table for one TKI.</summary>
/// <param name="Medications">Other active medications on file (each counted once).</param>
/// <param name="Hits">Rows that apply, by medication.</param>
/// <param name="NotChecked">Names of medications matched to no drug of the table: not checked.</param>
/// <param name="NoRowFor">Names of medications matched to a drug of the table that has no row for this TKI: the pair was
/// not verified, so not checked for this TKI (never "checked").</param>
public sealed record InteractionCheck(Tki Drug, int Medications, IReadOnlyList<InteractionHit> Hits, IReadOnlyList<string> NotChecked,
    IReadOnlyList<string> NoRowFor)
{
    /// <summary>Medications with a row for this TKI: only these were checked.</summary>
    public int Checked => Medications - NotChecked.Count - NoRowFor.Count;
}
