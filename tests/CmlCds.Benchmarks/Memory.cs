using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CmlCds.Benchmarks;

/// <summary>
/// The wrk run before a memory sample: its rate, the service's CPU per request over it, and the machine's steal time (CPU
/// the hypervisor gave to others), so that a slower run can be told apart as the service's cost or the machine's.
/// </summary>
public sealed record LoadInterval(double RequestsPerSecond, double CpuMsPerRequest, double StealPercent)
{
    /// <summary>Runs <paramref name="load"/> and measures it against <paramref name="process"/>'s CPU and /proc/stat.</summary>
    public static (LoadResult Result, LoadInterval Interval) Measure(ServerProcess process, Func<LoadResult> load)
    {
        var (cpu, (total, steal)) = (process.CpuTime(), MachineTicks());
        var result = load();
        var cpuAfter = process.CpuTime();
        return (result, new LoadInterval(result.RequestsPerSecond, (cpuAfter - cpu).TotalMilliseconds / Math.Max(1, result.Requests), StealPercentSince(total, steal)));
    }

    /// <summary>A stretch without load since <paramref name="total"/> and <paramref name="steal"/> (<see cref="MachineTicks"/>).</summary>
    public static LoadInterval Idle(long total, long steal) => new(0, 0, StealPercentSince(total, steal));

    private static double StealPercentSince(long total, long steal)
    {
        var (totalAfter, stealAfter) = MachineTicks();
        return totalAfter > total ? (stealAfter - steal) * 100.0 / (totalAfter - total) : 0;
    }

    /// <summary>All CPU ticks of the machine and the steal ticks among them (/proc/stat's first line).</summary>
    public static (long Total, long Steal) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice).
        return (fields.Take(8).Sum(), fields.Length > 7 ? fields[7] : 0);
    }
}

/// <summary>
/// One sample of a server process's memory: /proc's resident set (anonymous, file) and, via dotnet-counters, the GC's view;
/// with the load run before it.
/// </summary>
public sealed record MemorySample(long Requests, long ResidentBytes, long AnonymousBytes, long FileBytes, double? ManagedHeapBytes, double? GcCommittedBytes, Mappings Mappings, LoadInterval Interval)
{
    internal const double MiB = 1048576.0;

    public static MemorySample Take(ServerProcess process, long requests, LoadInterval interval)
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        long Kb(string field) => status.FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024 : 0;
        var (heap, committed) = Counters(process.Id);
        return new MemorySample(requests, Kb("VmRSS"), Kb("RssAnon"), Kb("RssFile"), heap, committed, Mappings.Read(process.Id), interval);
    }

    /// <summary>
    /// System.Runtime's <c>dotnet.gc.last_collection.heap.size</c> (all generations) and
    /// <c>dotnet.gc.last_collection.memory.committed_size</c>, read by a 3-second <c>dotnet-counters collect</c>; nulls when
    /// the tool is not installed (on PATH or in ~/.dotnet/tools).
    /// </summary>
    private static (double?, double?) Counters(int pid)
    {
        var tool = new[] { "dotnet-counters", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-counters") }
            .FirstOrDefault(t => t.Contains('/') ? File.Exists(t) : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, t))));
        if (tool is null) return (null, null);
        var output = Path.Combine(Path.GetTempPath(), $"cmlcds-counters-{Guid.NewGuid():N}");
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime",
                "--refresh-interval", "1", "--duration", "00:00:03", "--format", "json", "-o", output + ".json"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(30_000);
            if (!File.Exists(output + ".json")) return (null, null);
            using var json = JsonDocument.Parse(File.ReadAllText(output + ".json"));
            var last = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var e in json.RootElement.GetProperty("Events").EnumerateArray())
            {
                var name = e.GetProperty("name").GetString() ?? "";
                var tags = e.TryGetProperty("tags", out var t) ? t.GetString() ?? "" : "";
                last[name + "|" + tags] = e.GetProperty("value").GetDouble();
            }
            double? Sum(string name)
            {
                var values = last.Where(kv => kv.Key.StartsWith(name, StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
                return values.Count == 0 ? null : values.Sum();
            }
            // dotnet-counters reports sizes in bytes, or in MB for the older counter names.
            return (Sum("dotnet.gc.last_collection.heap.size"), Sum("dotnet.gc.last_collection.memory.committed_size"));
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or System.ComponentModel.Win32Exception or KeyNotFoundException)
        {
            return (null, null);
        }
        finally
        {
            File.Delete(output + ".json");
        }
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Requests:N0} | {ResidentBytes / MiB:0.0} | {AnonymousBytes / MiB:0.0} | {FileBytes / MiB:0.0} | {(ManagedHeapBytes is { } h ? (h / MiB).ToString("0.0", CultureInfo.InvariantCulture) : "-")} | {(GcCommittedBytes is { } c ? (c / MiB).ToString("0.0", CultureInfo.InvariantCulture) : "-")} | {Malloc / MiB:0.0} | {Mappings.Threads} | {Interval.RequestsPerSecond:0} | {Interval.CpuMsPerRequest:0.00} | {Interval.StealPercent:0.0} |");

    /// <summary>Resident memory held by glibc's malloc: its main heap and its per-thread arenas.</summary>
    public long Malloc => Mappings.ResidentByHolder[Mappings.MallocMain] + Mappings.ResidentByHolder[Mappings.MallocArenas];

    public const string Header = "| requests | resident MiB | anonymous MiB | file MiB | managed heap MiB | GC committed MiB | malloc MiB | threads | req/s | CPU ms per request | steal % |\n|---|---|---|---|---|---|---|---|---|---|---|\n";

    public override string ToString() => Row();
}
