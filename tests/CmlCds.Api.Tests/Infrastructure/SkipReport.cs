using System.Runtime.CompilerServices;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>
/// Writes why groups of tests are skipped on this machine to <see cref="FileName"/> beside the test binaries, when the
/// test assembly loads; the project's ShowSkipReasons target prints it after `dotnet test`, whose default output names
/// skipped tests but not their reason. No file when nothing is skipped.
/// </summary>
internal static class SkipReport
{
    public const string FileName = "skip-reasons.txt";

#pragma warning disable CA2255 // a test assembly, loaded once per run: the report must exist before any test is skipped
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Write()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        string?[] reasons = [MedplumFhirServer.SkipReason is { } f ? $"tests against a real FHIR server: {f}" : null,
            PostgresCluster.SkipReason is { } p ? $"PostgreSQL variants of the storage tests: {p}" : null];
        try
        {
            if (reasons.All(r => r is null)) File.Delete(path);
            else File.WriteAllLines(path, reasons.OfType<string>());
        }
        catch (IOException)
        {
            // the report is a courtesy; the tests' own skip reasons stand
        }
    }
}
