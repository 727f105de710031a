using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CmlCds.Benchmarks;

public sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

/// <summary>Runs wrk (Debian package) with a Lua script that POSTs a body file, and reads its report.</summary>
public static partial class Wrk
{
    public static LoadResult Run(string url, string bodyFile, int connections, int seconds, string scriptFile, IDictionary<string, string>? environment = null)
    {
        var threads = Math.Min(connections, 2);
        var info = new ProcessStartInfo("wrk", ["-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds}s", "--latency", "-s", scriptFile, url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["BODY_FILE"] = bodyFile;
        info.Environment["WRK_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {output} {process.StandardError.ReadToEnd()}");
        return Parse(output);
    }

    public static LoadResult Parse(string output)
    {
        double Latency(string pct)
        {
            var m = Regex.Match(output, $@"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success) return double.NaN;
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        var rps = double.Parse(RequestsPerSec().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var total = long.Parse(Total().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = NonOk().Match(output);
        var socket = SocketErrors().Match(output);
        long errors = (non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
            + (socket.Success ? socket.Groups.Cast<Group>().Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0);
        return new LoadResult(rps, Latency("50"), Latency("99"), total, errors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex RequestsPerSec();
    [GeneratedRegex(@"(\d+) requests in")] private static partial Regex Total();
    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")] private static partial Regex NonOk();
    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")] private static partial Regex SocketErrors();

    public const string PostScript = """
        -- POSTs the file named by BODY_FILE, as a CDS client would post a hook request.
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
        wrk.body = f:read("*a")
        f:close()
        """;

    /// <summary>
    /// Production mode: each request carries the next of the distinct pre-minted tokens in TOKENS_FILE (one a line), wrk's
    /// threads taking every WRK_THREADS-th one, so no jti is sent twice. Past the last token it sends "exhausted" (a 401,
    /// counted as an error): the file must hold more tokens than the run makes requests.
    /// </summary>
    public const string TokenScript = """
        wrk.method = "POST"
        local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
        wrk.body = f:read("*a")
        f:close()
        local tokens = {}
        for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
        local threads = tonumber(os.getenv("WRK_THREADS"))
        local created = 0
        local index = 1
        function setup(thread)
          created = created + 1
          thread:set("first", created)
        end
        function init(args)
          index = first
        end
        function request()
          local token = tokens[index] or "exhausted"
          index = index + threads
          return wrk.format(nil, nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, nil)
        end
        """;
}
