using System.Diagnostics;

namespace CmlCds.Tests.Shared;

/// <summary>
/// The built cmlcds program (cmlcds.dll beside the test binaries) run as a separate process, as an informaticist runs
/// it: exit code, standard output and standard error. Linked into the test projects that need it.
/// </summary>
public static class CmlcdsProcess
{
    public sealed record Result(int Exit, string Output, string Errors)
    {
        public override string ToString() => $"exit {Exit}\nstdout:\n{Output}\nstderr:\n{Errors}";
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "cmlcds.dll");

    /// <summary>Runs <c>cmlcds args...</c> in <paramref name="workingDirectory"/>; killed after two minutes.</summary>
    public static Task<Result> RunAsync(string workingDirectory, params string[] args) =>
        StartAsync(new ProcessStartInfo("dotnet", ["exec", Dll, .. args]) { WorkingDirectory = workingDirectory });

    /// <summary>Runs another program built beside the test binaries (e.g. the service, CmlCds.Api.dll).</summary>
    public static Task<Result> DotnetAsync(string workingDirectory, string dll, params string[] args) =>
        StartAsync(new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, dll), .. args]) { WorkingDirectory = workingDirectory });

    /// <summary>Runs a command line through bash (globs and line continuations as a user's shell has them).</summary>
    public static Task<Result> ShellAsync(string workingDirectory, string commandLine) =>
        StartAsync(new ProcessStartInfo("bash", ["-c", commandLine]) { WorkingDirectory = workingDirectory });

    private static async Task<Result> StartAsync(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', info.ArgumentList)} did not finish within two minutes");
        }
        return new Result(process.ExitCode, await output, await errors);
    }
}
