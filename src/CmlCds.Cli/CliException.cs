namespace CmlCds.Cli;

/// <summary>
/// A mistake the user can fix (a file that is not a patient bundle, a server that does not answer...): printed as one
/// line, "cmlcds: what is wrong; what to do", never with a stack trace.
/// </summary>
/// <param name="exitCode"><see cref="Usage"/> when the command line itself is wrong, <see cref="Failure"/> when the
/// command ran and what it was given or asked could not be done.</param>
public sealed class CliException(string message, int exitCode = CliException.Failure) : Exception(message)
{
    public const int Failure = 1;
    public const int Usage = 2;

    public int ExitCode { get; } = exitCode;
}
