using System.Globalization;
using System.Text;

namespace CmlCds.Benchmarks;

/// <summary>
/// A server process's resident anonymous memory by what holds it, read from <c>/proc/PID/smaps</c>, so that growth of the
/// working set can be put on one holder (issue 19): the GC's reserved range, glibc's malloc (main heap and the 64 MiB
/// per-thread arenas), thread stacks, the rest of the anonymous mappings (runtime, JIT, native libraries' own mmap), the
/// runtime's double-mapped memory (with W^X on, the JIT's code and the loader heaps live in a shared memfd, mapped once
/// writable and once executable: it grows as methods are compiled and tiered up, bounded by the code that runs), and the
/// file-backed rest (the loaded assemblies and libraries).
/// </summary>
public sealed record Mappings(IReadOnlyDictionary<string, long> ResidentByHolder, int Threads, int ArenaCount)
{
    public const string GcHeap = "GC heap (its reserved range)";
    public const string MallocMain = "malloc main heap ([heap])";
    public const string MallocArenas = "malloc per-thread arenas (64 MiB blocks)";
    public const string Stacks = "thread stacks";
    public const string OtherAnonymous = "other anonymous (runtime, JIT, native libraries)";
    public const string DoubleMapped = "runtime's double-mapped code and loader heaps (memfd)";
    public const string FileOrShared = "file-backed and other shared";
    public static readonly string[] Holders = [GcHeap, MallocMain, MallocArenas, Stacks, OtherAnonymous, DoubleMapped, FileOrShared];

    private const long ArenaSize = 64L << 20;
    private const long GcReservationAtLeast = 16L << 30;

    private sealed record Area(ulong Start, ulong End, string Permissions, string Path, long Resident, long Anonymous)
    {
        public bool IsAnonymous => Path.Length == 0;
        public bool Writable => Permissions.StartsWith("rw", StringComparison.Ordinal);
    }

    public static Mappings Read(int pid)
    {
        var areas = Parse(File.ReadLines($"/proc/{pid}/smaps"));
        var threads = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal)) is { } t
            ? int.Parse(t["Threads:".Length..].Trim(), CultureInfo.InvariantCulture) : 0;
        var byHolder = Holders.ToDictionary(h => h, _ => 0L, StringComparer.Ordinal);
        var arenas = 0;
        foreach (var area in areas.Where(a => !a.IsAnonymous))
        {
            if (area.Path == "[heap]") byHolder[MallocMain] += area.Anonymous;
            else if (area.Path.StartsWith("[stack", StringComparison.Ordinal)) byHolder[Stacks] += area.Anonymous;
            else if (area.Path.StartsWith("/memfd:doublemapper", StringComparison.Ordinal)) byHolder[DoubleMapped] += area.Resident;
            else byHolder[FileOrShared] += area.Resident;
        }

        // Contiguous runs of anonymous areas: a run of 16 GiB or more is the GC's reservation (split by what it has
        // committed); inside the others, a 64 MiB-aligned read-write area closed by an inaccessible one at the next 64 MiB
        // boundary is a malloc arena, and a small inaccessible guard followed by a read-write area is a thread stack.
        foreach (var run in Runs(areas.Where(a => a.IsAnonymous)))
        {
            if ((long)(run[^1].End - run[0].Start) >= GcReservationAtLeast)
            {
                byHolder[GcHeap] += run.Sum(a => a.Anonymous);
                continue;
            }
            for (var i = 0; i < run.Count; i++)
            {
                var area = run[i];
                var next = i + 1 < run.Count ? run[i + 1] : null;
                if (area.Start % ArenaSize == 0 && area.Writable
                    && (area.End - area.Start == ArenaSize || next is { Writable: false } && next.End - area.Start == ArenaSize))
                {
                    arenas++;
                    byHolder[MallocArenas] += area.Anonymous;
                    if (area.End - area.Start != ArenaSize) i++;
                }
                else if (!area.Writable && area.End - area.Start <= 64 * 1024 && next is { Writable: true })
                {
                    byHolder[Stacks] += next.Anonymous;
                    i++;
                }
                else byHolder[OtherAnonymous] += area.Anonymous;
            }
        }
        return new Mappings(byHolder, threads, arenas);
    }

    private static List<Area> Parse(IEnumerable<string> lines)
    {
        var areas = new List<Area>();
        ulong start = 0, end = 0;
        string permissions = "", path = "";
        long resident = 0, anonymous = 0;
        var open = false;
        foreach (var line in lines)
        {
            var dash = line.IndexOf('-');
            var space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var s))
            {
                if (open) areas.Add(new Area(start, end, permissions, path, resident, anonymous));
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                start = s;
                end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                permissions = fields[1];
                path = fields.Length > 5 ? fields[5].Trim() : "";
                resident = anonymous = 0;
                open = true;
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal)) resident = Kb(line);
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal)) anonymous = Kb(line);
        }
        if (open) areas.Add(new Area(start, end, permissions, path, resident, anonymous));
        return areas;
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private static IEnumerable<List<Area>> Runs(IEnumerable<Area> anonymous)
    {
        var run = new List<Area>();
        foreach (var area in anonymous)
        {
            if (run.Count > 0 && run[^1].End != area.Start)
            {
                yield return run;
                run = [];
            }
            run.Add(area);
        }
        if (run.Count > 0) yield return run;
    }

    /// <summary>A markdown table: each holder's resident MiB at the first and the last sample and the change; threads and arenas below.</summary>
    public static string Compare(Mappings first, Mappings last, long firstRequests, long lastRequests)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"| holder | MiB after {firstRequests:N0} requests | MiB after {lastRequests:N0} | change MiB |\n|---|---|---|---|\n");
        foreach (var holder in Holders)
        {
            var a = first.ResidentByHolder[holder] / MemorySample.MiB;
            var b = last.ResidentByHolder[holder] / MemorySample.MiB;
            sb.Append(inv, $"| {holder} | {a:0.0} | {b:0.0} | {b - a:+0.0;-0.0;0.0} |\n");
        }
        sb.Append(inv, $"| threads | {first.Threads} | {last.Threads} | {last.Threads - first.Threads:+0;-0;0} |\n");
        sb.Append(inv, $"| malloc arenas | {first.ArenaCount} | {last.ArenaCount} | {last.ArenaCount - first.ArenaCount:+0;-0;0} |\n");
        return sb.ToString();
    }
}
