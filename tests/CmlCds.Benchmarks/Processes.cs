using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CmlCds.Benchmarks;

/// <summary>A server under test, in its own process, on 127.0.0.1.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    public int Port { get; }
    public TimeSpan StartupToFirst200 { get; private set; }

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>dotnet exec dll args</c> and waits for the first 200 on <paramref name="readyPath"/>; a null in <paramref name="environment"/> removes that variable.</summary>
    public static async Task<ServerProcess> StartAsync(string dll, IEnumerable<string> args, string readyPath, IDictionary<string, string?>? environment = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", ["exec", dll, .. args, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v is null) info.Environment.Remove(k);
            else info.Environment[k] = v;
        }
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}{readyPath}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    server.StartupToFirst200 = watch.Elapsed;
                    return server;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (process.HasExited) throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with {process.ExitCode}");
            await Task.Delay(5);
        }
        server.Dispose();
        throw new TimeoutException($"{Path.GetFileName(dll)} did not answer within 60 s");
    }

    /// <summary>Resident set size of the process, from /proc.</summary>
    public long WorkingSetBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    /// <summary>CPU time the process has used (user + system), from /proc.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime (fields 14, 15)
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    public int Id => _process.Id;

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
