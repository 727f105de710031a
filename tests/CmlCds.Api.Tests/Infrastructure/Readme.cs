using System.Text.RegularExpressions;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>README.md as the tests read its commands: line continuations joined, so each command is one line.</summary>
public static partial class Readme
{
    public static string Text => File.ReadAllText(Path.Combine(Repo.Root, "README.md")).Replace("\\\n", " ", StringComparison.Ordinal);

    /// <summary>The <c>--key=value</c> configuration settings of a command line.</summary>
    public static Dictionary<string, string?> Settings(string commandLine) =>
        Setting().Matches(commandLine).ToDictionary(m => m.Groups[1].Value, m => (string?)m.Groups[2].Value);

    [GeneratedRegex(@"--([A-Za-z][A-Za-z0-9:]*)=(\S+)")]
    private static partial Regex Setting();
}
