using System.Diagnostics;
using System.Globalization;
using CmlCds.Conformance;

namespace CmlCds.Benchmarks;

/// <summary>The `fhir-libraries` command: Firely's start-up, then <see cref="FhirLibraryBenchmarks"/>, as markdown.</summary>
public static class FhirLibraries
{
    /// <summary>Firely's start-up, measured once each way in this process (the first load pays the JIT too).</summary>
    public static string Startup()
    {
        var clock = Stopwatch.StartNew();
        var generated = FirelyPackage.Load(Path.Combine(Repository(), "fhir-profiles"));
        var generate = clock.Elapsed;
        clock.Restart();
        var published = FirelyPackage.LoadEmbedded();
        var load = clock.Elapsed;
        var first = generated.Profiles.Count;
        return string.Create(CultureInfo.InvariantCulture,
            $"Firely start-up in this process: {generate.TotalSeconds:0.0} s loading core R4 and generating the {first} snapshots from the differentials (first load, JIT included); "
            + $"{load.TotalSeconds:0.0} s loading again with the published snapshots. Schema compilation on the first validation is in neither.");
    }

    /// <summary>
    /// The same operations as <see cref="FhirLibraryBenchmarks"/>, interleaved round by round (one of each per round,
    /// medians over the rounds), so a neighbour's load on a shared machine falls on all of them alike and the ratios hold.
    /// </summary>
    public static string Interleaved(int parseRounds = 300, int validateRounds = 15)
    {
        var b = new FhirLibraryBenchmarks();
        b.Setup();
        var parsers = new (string Name, Func<int> Run)[] { ("project reader", b.OurParse), ("Firely deserializer (default)", b.FirelyParse), ("Firely deserializer (attribute validation off)", b.FirelyParseUnchecked) };
        var validators = new (string Name, Func<int> Run)[] { ("project validator", b.OurValidate), ("Firely validator", b.FirelyValidate) };
        var sb = new System.Text.StringBuilder("| interleaved (median per call) | parse prefetch | ratio to the project reader |\n|---|---|---|\n");
        var medians = Measure(parsers, parseRounds);
        foreach (var (name, median) in medians)
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {median * 1000:0} µs | {median / medians[0].Median:0.00} |\n");
        var v = Measure(validators, validateRounds);
        sb.Append("\n| interleaved (median per call) | validate the profiled resources | ratio to the project validator |\n|---|---|---|\n");
        foreach (var (name, median) in v)
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {median:0.00} ms | {median / v[0].Median:0} |\n");
        return sb.ToString();
    }

    private static List<(string Name, double Median)> Measure((string Name, Func<int> Run)[] ops, int rounds)
    {
        var times = ops.Select(_ => new List<double>()).ToArray();
        for (var warm = 0; warm < 3; warm++) foreach (var op in ops) op.Run();
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < ops.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                ops[i].Run();
                times[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        return ops.Select((op, i) => (op.Name, times[i].Order().ElementAt(times[i].Count / 2))).ToList();
    }

    public static int Print(string dir)
    {
        Console.WriteLine(Startup());
        Console.WriteLine();
        Console.WriteLine(Interleaved());
        Console.WriteLine();
        Console.WriteLine(Suite.Micro<FhirLibraryBenchmarks>(dir));
        return 0;
    }

    private static string Repository()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CmlCds.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
