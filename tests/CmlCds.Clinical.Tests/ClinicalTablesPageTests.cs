namespace CmlCds.Clinical.Tests;

/// <summary>docs/clinical-tables.md is the page a clinician signs off; it must be exactly what the code runs.</summary>
public class ClinicalTablesPageTests
{
    [Fact]
    public void Committed_page_matches_the_tables_in_the_code()
    {
        var path = Path.Combine(RepoRoot(), "docs", "clinical-tables.md");
        var rendered = ClinicalTables.RenderMarkdown();
        if (Environment.GetEnvironmentVariable("CMLCDS_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, rendered);
        }
        Assert.True(File.Exists(path), "docs/clinical-tables.md is missing");
        Assert.Equal(File.ReadAllText(path), rendered);
    }

    [Fact]
    public void Page_prints_the_thresholds_as_the_guideline_does()
    {
        var page = ClinicalTables.RenderMarkdown();
        Assert.Contains("| 12 months and any time after | > 1% | failure |", page);
        Assert.Contains("| MR4.5 | 0.0032% | 32,000 | 77,000 |", page);
        Assert.Contains("| 6 months | > 1–10% | GREEN | optimal |", page);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CmlCds.sln"))) return dir.FullName;
        throw new InvalidOperationException("CmlCds.sln not found");
    }
}
