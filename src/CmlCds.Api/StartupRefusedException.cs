using Microsoft.Extensions.Options;

namespace CmlCds.Api;

/// <summary>
/// The configuration does not let the service run safely. <c>Program</c> prints the message as one line (what is wrong,
/// what to set) and exits non-zero, without a stack trace.
/// </summary>
public sealed class StartupRefusedException(string message) : Exception(message)
{
    /// <summary>Exit code of a refused start-up (configuration, not a crash).</summary>
    public const int ExitCode = 2;

    /// <summary>The one line printed for a refusal, or null when <paramref name="e"/> is not one (a real crash keeps its trace).</summary>
    public static string? LineFor(Exception e) => Reason(e) is { } line ? "cmlcds: cannot start: " + line.ReplaceLineEndings(" ") : null;

    private static string? Reason(Exception e) => e switch
    {
        StartupRefusedException r => r.Message,
        OptionsValidationException o => "Invalid configuration: " + string.Join(" ", o.Failures) + " Fix the setting and start again.",
        AggregateException a when a.InnerExceptions.All(i => Reason(i) is not null) => string.Join(" ", a.InnerExceptions.Select(Reason)),
        _ => null,
    };
}
