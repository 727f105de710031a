using CmlCds.Clinical.Rules;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests.Rules;

/// <summary>
/// The interaction table (clinical specification §11): each row fires for a drug of its class with its TKI, and its mirror —
/// the same drug with a TKI the table has no row for — does not. A medication the table does not know is "not checked".
/// (The mirror "the same drug stopped" is in the mapping vignettes: a stopped order is not an active medication.)
/// </summary>
public class InteractionVignettes
{
    private static OtherMedication Med(string name, params string[] atc) => new($"MedicationRequest/{name}", name, atc, [name.ToLowerInvariant()]);

    public static TheoryData<int> RowIndexes() => new(Enumerable.Range(0, InteractionTable.Rows.Count));

    [Theory]
    [MemberData(nameof(RowIndexes))]
    public void Every_row_fires_for_a_drug_of_its_class_by_ATC_code_and_by_name(int index)
    {
        var row = InteractionTable.Rows[index];
        var drug = InteractionTable.Drugs.First(d => d.Class == row.Class);
        foreach (var med in new[] { Med(drug.Name + " tablet", drug.Atc), Med(drug.Name + " tablet") })
        {
            var check = InteractionTable.Check(row.Drug, [med]);
            var hit = Assert.Single(check.Hits, h => h.Row == row);
            Assert.Equal(drug.Name, hit.Drug.Name);
            Assert.Contains("section 7", row.Source, StringComparison.Ordinal);
            Assert.Empty(check.NotChecked);
        }
    }

    [Theory]
    [MemberData(nameof(RowIndexes))]
    public void Mirror_the_same_drug_with_a_TKI_without_a_row_for_its_class_does_not_fire(int index)
    {
        var row = InteractionTable.Rows[index];
        var drug = InteractionTable.Drugs.First(d => d.Class == row.Class);
        var others = Enum.GetValues<Tki>().Where(t => !InteractionTable.Rows.Any(r => r.Drug == t && r.Class == row.Class)).ToList();
        if (others.Count == 0)
        {
            // every TKI has a row for this class (strong CYP3A4 inhibitors): the mirror is a drug of no interacting class
            var check = InteractionTable.Check(row.Drug, [Med("amlodipine 5 mg tablet", "C08CA01")]);
            Assert.Empty(check.Hits);
            Assert.Equal(["amlodipine 5 mg tablet"], check.NotChecked);
            return;
        }
        foreach (var tki in others)
        {
            var check = InteractionTable.Check(tki, [Med(drug.Name, drug.Atc)]);
            Assert.Empty(check.Hits);
            // the table has no row for this pair because nobody verified it: not checked for this TKI, never "checked"
            Assert.Equal((1, 0), (check.Medications, check.Checked));
            Assert.Equal([drug.Name], check.NoRowFor);
        }
    }

    [Fact]
    public void RULES_11_names_these_rows_at_least()
    {
        bool Has(Tki t, InteractionClass c) => InteractionTable.Rows.Any(r => r.Drug == t && r.Class == c);
        Assert.True(Has(Tki.Dasatinib, InteractionClass.ProtonPumpInhibitor));
        Assert.True(Has(Tki.Bosutinib, InteractionClass.ProtonPumpInhibitor));
        Assert.True(Has(Tki.Dasatinib, InteractionClass.H2Antagonist));
        Assert.Equal(InteractionAdvice.SeparateDoses, InteractionTable.Rows.Single(r => r.Drug == Tki.Bosutinib && r.Class == InteractionClass.H2Antagonist).Kind);
        Assert.True(Has(Tki.Nilotinib, InteractionClass.QtProlonging));
        Assert.All(Enum.GetValues<Tki>(), t => Assert.True(Has(t, InteractionClass.StrongCyp3a4Inhibitor)));
        Assert.All(Enum.GetValues<Tki>().Where(t => t != Tki.Asciminib), t => Assert.True(Has(t, InteractionClass.StrongCyp3a4Inducer)));
        foreach (var name in new[] { "ketoconazole", "itraconazole", "posaconazole", "voriconazole", "clarithromycin", "ritonavir", "cobicistat" })
            Assert.Contains(InteractionTable.Drugs, d => d.Name == name && d.Class == InteractionClass.StrongCyp3a4Inhibitor);
        foreach (var name in new[] { "rifampicin", "carbamazepine", "phenytoin", "St John's wort" })
            Assert.Contains(InteractionTable.Drugs, d => d.Name == name && d.Class == InteractionClass.StrongCyp3a4Inducer);
    }

    [Fact]
    public void A_medication_the_table_does_not_know_is_not_checked_never_no_interaction()
    {
        var check = InteractionTable.Check(Tki.Dasatinib, [Med("metformin 500 mg tablet", "A10BA02"), Med("omeprazole", "A02BC01")]);
        Assert.Equal(["metformin 500 mg tablet"], check.NotChecked);
        Assert.Equal((2, 1), (check.Medications, check.Checked));
        Assert.Single(check.Hits);
    }

    [Fact]
    public void An_ATC_code_of_the_PPI_group_not_listed_by_ingredient_still_reads_as_a_PPI()
    {
        var check = InteractionTable.Check(Tki.Dasatinib, [Med("vonoprazan-like PPI", "A02BC99")]);
        Assert.Equal(InteractionClass.ProtonPumpInhibitor, Assert.Single(check.Hits).Row.Class);
    }

    [Fact]
    public void A_name_is_matched_as_a_word_and_a_boosted_combination_names_its_ritonavir()
    {
        Assert.Single(InteractionTable.Check(Tki.Ponatinib, [Med("lopinavir/ritonavir 200/50 mg")]).Hits);
        Assert.Empty(InteractionTable.Check(Tki.Dasatinib, [Med("someomeprazoleish")]).Hits);
    }

    [Fact]
    public void The_same_drug_as_an_order_and_a_statement_is_one_medication()
    {
        var check = InteractionTable.Check(Tki.Dasatinib, [Med("omeprazole", "A02BC01"), Med("Omeprazole 20 mg") with { SourceId = "MedicationStatement/x" }]);
        Assert.Equal(1, check.Medications);
        Assert.Single(check.Hits);
    }

    [Fact]
    public void Clarithromycin_with_nilotinib_is_both_a_strong_CYP3A4_inhibitor_and_QT_prolonging()
    {
        var check = InteractionTable.Check(Tki.Nilotinib, [Med("clarithromycin", "J01FA09")]);
        Assert.Equal([InteractionClass.StrongCyp3a4Inhibitor, InteractionClass.QtProlonging], check.Hits.Select(h => h.Row.Class).Order());
    }

    [Fact]
    public void Nilotinib_with_omeprazole_is_not_recommended_and_the_PPI_is_not_read_as_checked_without_interaction()
    {
        var check = InteractionTable.Check(Tki.Nilotinib, [Med("omeprazole 20 mg capsule", "A02BC01")]);
        var hit = Assert.Single(check.Hits);
        Assert.Equal(InteractionAdvice.Avoid, hit.Row.Kind);
        Assert.Contains("not recommended", hit.Row.Advice, StringComparison.Ordinal);
        Assert.Contains("TASIGNA", hit.Row.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Nilotinib_with_famotidine_is_allowed_10_hours_before_and_2_hours_after_the_dose()
    {
        var hit = Assert.Single(InteractionTable.Check(Tki.Nilotinib, [Med("famotidine 20 mg", "A02BA03")]).Hits);
        Assert.Equal(InteractionAdvice.SeparateDoses, hit.Row.Kind);
        Assert.Contains("10 hours before", hit.Row.Advice, StringComparison.Ordinal);
        Assert.Contains("2 hours after", hit.Row.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Imatinib_with_omeprazole_has_no_verified_row_so_it_is_not_checked_for_imatinib_never_checked()
    {
        var check = InteractionTable.Check(Tki.Imatinib, [Med("omeprazole 20 mg capsule", "A02BC01")]);
        Assert.Empty(check.Hits);
        Assert.Equal(0, check.Checked);
        Assert.Equal(["omeprazole 20 mg capsule"], check.NoRowFor);
    }

    [Fact]
    public void Dasatinib_with_amiodarone_is_not_checked_for_dasatinib_while_nilotinib_with_amiodarone_fires()
    {
        var dasatinib = InteractionTable.Check(Tki.Dasatinib, [Med("amiodarone 200 mg", "C01BD01")]);
        Assert.Equal((0, 0, 1), (dasatinib.Hits.Count, dasatinib.Checked, dasatinib.NoRowFor.Count));
        var nilotinib = InteractionTable.Check(Tki.Nilotinib, [Med("amiodarone 200 mg", "C01BD01")]);
        Assert.Equal((1, 1, 0), (nilotinib.Hits.Count, nilotinib.Checked, nilotinib.NoRowFor.Count));
    }

    [Fact]
    public void Asciminib_with_itraconazole_oral_solution_lowers_asciminib_exposure_so_avoid_it_at_any_dose()
    {
        var hit = Assert.Single(InteractionTable.Check(Tki.Asciminib, [Med("itraconazole 10 mg/mL oral solution", "J02AC02")]).Hits);
        Assert.Equal(InteractionAdvice.Avoid, hit.Row.Kind);
        Assert.Contains("lowers asciminib exposure", hit.Row.Advice, StringComparison.Ordinal);
        Assert.Contains("any dose", hit.Row.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_asciminib_with_itraconazole_capsules_raises_exposure_and_is_monitored_at_200_mg_twice_daily()
    {
        var hit = Assert.Single(InteractionTable.Check(Tki.Asciminib, [Med("itraconazole 100 mg capsule", "J02AC02")]).Hits);
        Assert.Equal(InteractionAdvice.Monitor, hit.Row.Kind);
        Assert.StartsWith("it raises asciminib exposure", hit.Row.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void A_combination_pack_beside_an_order_of_one_of_its_ingredients_still_brings_its_other_ingredients()
    {
        // pantoprazole order, and an H. pylori pack with pantoprazole, amoxicillin and clarithromycin
        var check = InteractionTable.Check(Tki.Nilotinib, [Med("pantoprazole 40 mg", "A02BC02"), Med("pantoprazole, amoxicillin and clarithromycin pack")]);
        Assert.Contains(check.Hits, h => h.Drug.Name == "clarithromycin" && h.Row.Class == InteractionClass.StrongCyp3a4Inhibitor);
        Assert.Contains(check.Hits, h => h.Drug.Name == "clarithromycin" && h.Row.Class == InteractionClass.QtProlonging);
        Assert.Single(check.Hits, h => h.Drug.Name == "pantoprazole");
    }

    [Fact]
    public void Mirror_the_same_single_drug_on_file_twice_is_still_one_medication()
    {
        var check = InteractionTable.Check(Tki.Nilotinib, [Med("pantoprazole 40 mg", "A02BC02"), Med("Pantoprazole 20 mg") with { SourceId = "MedicationStatement/p" }]);
        Assert.Equal(1, check.Medications);
        Assert.Single(check.Hits);
    }
}
