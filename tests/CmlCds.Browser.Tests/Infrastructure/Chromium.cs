using System.Runtime.CompilerServices;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's chromium, driven by Playwright through <c>executablePath</c> (Playwright's own browser download cannot work
/// here). <c>CMLCDS_CHROMIUM</c> names another binary; <c>CMLCDS_REQUIRE_BROWSER=1</c> (CI) makes a missing one a failure.
/// </summary>
public static class Chromium
{
    public static bool Required => Environment.GetEnvironmentVariable("CMLCDS_REQUIRE_BROWSER") == "1";

    public static string? ExecutablePath =>
        new[] { Environment.GetEnvironmentVariable("CMLCDS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>Why the browser tests are skipped here; null when they run (always when required).</summary>
    public static string? SkipReason
    {
        get
        {
            if (Required) return null;
            if (ExecutablePath is null) return "Chromium is not installed: run 'apt-get install -y chromium' (CI installs it and sets CMLCDS_REQUIRE_BROWSER=1)";
            return MedplumFhirServer.SkipReason; // the chart reads from the test FHIR server
        }
    }

    /// <summary>Screenshots and PDFs of the browser tests: <c>CMLCDS_ARTIFACTS</c>, else <c>artifacts/browser</c> at the repository root (gitignored).</summary>
    public static string ArtifactsDirectory { get; } = Environment.GetEnvironmentVariable("CMLCDS_ARTIFACTS") is { Length: > 0 } dir
        ? dir : Path.Combine(Repo.Root, "artifacts", "browser");
}

/// <summary>A test that needs Chromium and the test FHIR server: skipped with the reason where they are missing and not required.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute() => Skip = Chromium.SkipReason;
}

public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute() => Skip = Chromium.SkipReason;
}

/// <summary>Writes why the browser tests are skipped beside the test binaries; the project's ShowSkipReasons target prints it.</summary>
internal static class SkipReport
{
#pragma warning disable CA2255 // a test assembly, loaded once per run: the report must exist before any test is skipped
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Write()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "skip-reasons.txt");
        try
        {
            if (Chromium.SkipReason is { } reason) File.WriteAllText(path, $"browser tests of the response chart: {reason}{Environment.NewLine}");
            else File.Delete(path);
        }
        catch (IOException)
        {
            // a courtesy; the tests' own skip reasons stand
        }
    }
}
