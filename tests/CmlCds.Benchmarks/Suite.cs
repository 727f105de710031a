using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Service;
using CmlCds.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CmlCds.Benchmarks;

/// <summary>Every measurement of the performance issue, in one run, written to BENCHMARKS.md.</summary>
public static partial class Suite
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly int[] Concurrency = [1, 16, 64];

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CmlCds.sln"))) return dir.FullName;
        throw new InvalidOperationException("CmlCds.sln not found");
    }

    public static string ArtifactsDirectory()
    {
        var dir = Path.Combine(RepoRoot(), "artifacts", "bench");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Configuration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string ServiceDll() => Path.Combine(RepoRoot(), "src", "CmlCds.Api", "bin", Configuration(), "net10.0", "CmlCds.Api.dll");

    private static string SelfDll() => Path.Combine(AppContext.BaseDirectory, "CmlCds.Benchmarks.dll");

    public static int WriteRequests(string dir)
    {
        foreach (var size in RequestGenerator.Sizes)
            File.WriteAllText(Path.Combine(dir, $"{size}.request.json"), RequestGenerator.Create(size, Today).ToJsonString());
        return 0;
    }

    /// <summary>BenchmarkDotNet, in process, short runs: the stage table and the FHIR-library table as GitHub markdown.</summary>
    public static string Micro(string dir) =>
        Micro<StageBenchmarks>(dir) + "\n\n### FHIR libraries on the typical request's prefetch: the project's reader and validator beside Firely's\n\n"
        + FhirLibraries.Startup() + "\n\n" + FhirLibraries.Interleaved() + "\n" + Micro<FhirLibraryBenchmarks>(dir);

    /// <summary>One BenchmarkDotNet class, in process, short run, as a GitHub markdown table.</summary>
    public static string Micro<T>(string dir)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(Path.Combine(dir, "bdn"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkRunner.Run<T>(config);
        var log = new AccumulationLogger();
        MarkdownExporter.GitHub.ExportToLog(summary, log);
        var table = log.GetLog();
        var start = table.IndexOf("| Method", StringComparison.Ordinal);
        return start >= 0 ? table[start..].Trim() : table.Trim();
    }

    private static string[] ServiceArgs(string database, string logLevel = "Warning") =>
    [
        "--environment", "Development", $"--Logging:LogLevel:Default={logLevel}", "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        "--Limits:PermitsPerMinute=1000000000", $"--ConnectionStrings:CmlCds=Data Source={database}",
    ];

    public static async Task<int> AllAsync(string[] args)
    {
        var seconds = Array.IndexOf(args, "--seconds") is var at and >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 10;
        var skipMicro = args.Contains("--no-micro");
        var dir = ArtifactsDirectory();
        WriteRequests(dir);
        var script = Path.Combine(dir, "post.lua");
        await File.WriteAllTextAsync(script, Wrk.PostScript);
        var report = new StringBuilder();
        var started = DateTime.UtcNow;
        Console.WriteLine("== micro benchmarks (BenchmarkDotNet)");
        var micro = skipMicro ? "(skipped with --no-micro)" : Micro(dir);

        Console.WriteLine("== load: service and ceiling, side by side");
        var load = new List<(string Size, int C, LoadResult Service, LoadResult Ceiling)>();
        foreach (var size in RequestGenerator.Sizes)
        {
            var body = Path.Combine(dir, $"{size}.request.json");
            var db = Path.Combine(dir, $"load-{size}.db");
            DeleteDb(db);
            using var service = await StartServiceAsync(ServiceArgs(db));
            var url = $"http://127.0.0.1:{service.Port}/cds-services/cml-monitoring";
            var answer = await PostOnce(url, body);
            var responseFile = Path.Combine(dir, $"{size}.response.json");
            await File.WriteAllBytesAsync(responseFile, answer);
            using var ceiling = await ServerProcess.StartAsync(SelfDll(), ["ceiling", "--response", responseFile], "/healthz");
            var ceilingUrl = $"http://127.0.0.1:{ceiling.Port}/cds-services/cml-monitoring";
            Wrk.Run(url, body, 16, WarmUpSeconds, script); // warm-up both
            Wrk.Run(ceilingUrl, body, 16, 3, script);
            foreach (var c in Concurrency)
            {
                var svc = Wrk.Run(url, body, c, seconds, script);
                var ceil = Wrk.Run(ceilingUrl, body, c, seconds, script);
                Console.WriteLine($"{size} c={c}: service {svc.RequestsPerSecond:0} rps p99 {svc.P99Ms:0.00} ms; ceiling {ceil.RequestsPerSecond:0} rps");
                load.Add((size, c, svc, ceil));
            }
        }

        Console.WriteLine("== Production mode (JWT per call, RS384 and ES384) beside open mode and the ceiling");
        var production = await ProductionAsync(dir, seconds);
        var jwtMicro = skipMicro ? "(skipped with --no-micro)" : MicroJwt(dir);

        Console.WriteLine("== GC mode: server against workstation, typical request, 64 connections");
        var gc = new List<(string Mode, LoadResult Result)>();
        foreach (var (mode, server) in new[] { ("server GC (DOTNET_gcServer=1)", "1"), ("workstation GC (DOTNET_gcServer=0)", "0") })
        {
            var db = Path.Combine(dir, $"gc-{server}.db");
            DeleteDb(db);
            using var service = await StartServiceAsync(ServiceArgs(db), overrides: new Dictionary<string, string?> { ["DOTNET_gcServer"] = server });
            var url = $"http://127.0.0.1:{service.Port}/cds-services/cml-monitoring";
            var body = Path.Combine(dir, "typical.request.json");
            Wrk.Run(url, body, 64, WarmUpSeconds, script);
            var result = Wrk.Run(url, body, 64, seconds, script);
            Console.WriteLine($"{mode}: {result.RequestsPerSecond:0} rps p99 {result.P99Ms:0.00} ms, working set {service.WorkingSetBytes() / MemorySample.MiB:0} MiB");
            gc.Add(($"{mode}, working set {service.WorkingSetBytes() / MemorySample.MiB:0} MiB", result));
        }

        Console.WriteLine("== fallback: no prefetch, FHIR server answering each query after 100 ms");
        var fallback = await FallbackAsync(dir);

        var memoryRequests = Array.IndexOf(args, "--memory-requests") is var m and >= 0 ? long.Parse(args[m + 1], CultureInfo.InvariantCulture) : 1_000_000;
        var defaultRequests = Array.IndexOf(args, "--memory-default-requests") is var d and >= 0 ? long.Parse(args[d + 1], CultureInfo.InvariantCulture) : 250_000;
        Console.WriteLine($"== memory: working set after warm-up and over {memoryRequests:N0} requests, as deployed (MALLOC_ARENA_MAX=2, workstation GC)");
        var memory = await MemoryAsync(dir, script, memoryRequests);
        Console.WriteLine($"== memory: the same over {defaultRequests:N0} requests with glibc's default arenas");
        var memoryDefault = await MemoryAsync(dir, script, defaultRequests, new Dictionary<string, string?> { ["MALLOC_ARENA_MAX"] = null });

        Console.WriteLine("== start-up to the first 200");
        var startups = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var db = Path.Combine(dir, $"startup-{i}.db");
            DeleteDb(db);
            using var service = await StartServiceAsync(ServiceArgs(db), "/cds-services");
            startups.Add(service.StartupToFirst200.TotalMilliseconds);
        }

        var markdown = Report(started, seconds, micro, load, gc, fallback, memory, memoryDefault, startups) + ProductionReport(production, jwtMicro);
        var path = Path.Combine(RepoRoot(), "BENCHMARKS.md");
        await File.WriteAllTextAsync(path, markdown);
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static void DeleteDb(string db)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(db + suffix);
    }

    private static async Task<byte[]> PostOnce(string url, string bodyFile)
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(url, new StringContent(await File.ReadAllTextAsync(bodyFile), Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"the service answered {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private sealed record FallbackResult(double HookMedianMs, double HookP90Ms, double SlowestQueryMedianMs, int Queries);

    /// <summary>The typical patient's data on a FHIR double that answers every query after 100 ms; hook calls without prefetch.</summary>
    private static async Task<FallbackResult> FallbackAsync(string dir)
    {
        var request = RequestGenerator.Create("typical", Today);
        var parsed = JsonSerializer.Deserialize(request.ToJsonString(), CdsHooksJson.HookRequest)!;
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in CmlMonitoringService.PrefetchKeys)
            answers[Uri.UnescapeDataString(PrefetchTemplate.Fill(key.Template, parsed)!)] =
                request["prefetch"]![key.Key]?.ToJsonString() ?? """{"resourceType":"Bundle","type":"searchset","total":0}""";
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var fhir = builder.Build();
        fhir.Run(async ctx =>
        {
            await Task.Delay(100);
            var key = Uri.UnescapeDataString(ctx.Request.Path.Value!.TrimStart('/')["fhir/".Length..] + ctx.Request.QueryString.Value);
            if (!answers.TryGetValue(key, out var body)) { ctx.Response.StatusCode = 404; return; }
            ctx.Response.ContentType = "application/fhir+json";
            await ctx.Response.WriteAsync(body);
        });
        await fhir.StartAsync();
        var fhirBase = fhir.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/fhir";

        request.Remove("prefetch");
        request["fhirServer"] = fhirBase;
        var body = request.ToJsonString();
        var db = Path.Combine(dir, "fallback.db");
        DeleteDb(db);
        using var service = await StartServiceAsync(ServiceArgs(db));
        using var client = new HttpClient();
        var bcrQuery = CmlMonitoringService.PrefetchKeys.First(k => k.Key == "bcrAbl1");
        var slowestUrl = $"{fhirBase}/{PrefetchTemplate.Fill(bcrQuery.Template, parsed)}";
        var hook = new List<double>();
        var single = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var q = await client.GetAsync(slowestUrl)) { await q.Content.ReadAsByteArrayAsync(); }
            if (i >= 5) single.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            using var response = await client.PostAsync($"http://127.0.0.1:{service.Port}/cds-services/cml-monitoring", new StringContent(body, Encoding.UTF8, "application/json"));
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"fallback call answered {(int)response.StatusCode}");
            if (i >= 5) hook.Add(watch.Elapsed.TotalMilliseconds);
        }
        await fhir.StopAsync();
        return new FallbackResult(Median(hook), Percentile(hook, 0.9), Median(single), CmlMonitoringService.PrefetchKeys.Count);
    }

    /// <summary>
    /// Seconds of load before a freshly started service is measured: on 2 shared cores its first seconds run at a fraction
    /// of the steady rate while the JIT compiles and tiers up (a 3-second warm-up measured open mode at 4.5 ms CPU per
    /// request, and the first of two Production rows at twice the second's).
    /// </summary>
    internal const int WarmUpSeconds = 20;

    /// <summary>
    /// The environment the Kubernetes Deployment (and the Dockerfile) give the service, read from deploy/kubernetes:
    /// glibc's malloc arenas capped at 2 and workstation GC. Every service this program starts runs with it unless a
    /// section says otherwise (GC mode, and the memory run with glibc's default arenas).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> AsDeployed = DeploymentManifest.Read(RepoRoot()).Environment;

    /// <summary>
    /// The service's process on its own port, as deployed (<see cref="AsDeployed"/>) with <paramref name="overrides"/> on
    /// top; a null value leaves that variable out of the service's environment, which gives the runtime's or glibc's default.
    /// </summary>
    private static Task<ServerProcess> StartServiceAsync(string[] args, string readyPath = "/healthz", IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var environment = AsDeployed.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>()) environment[name] = value;
        return ServerProcess.StartAsync(ServiceDll(), args, readyPath, environment);
    }

    /// <summary>Seconds without load before the last sample: past the thread pool's 20-second retirement of idle workers.</summary>
    private const int IdleSeconds = 45;

    private sealed record MemoryResult(long AfterWarmUp, long After, long Requests, IReadOnlyList<MemorySample> Samples, MemorySample Idle)
    {
        /// <summary>The holders of resident memory at the first sample against the last (<see cref="Mappings.Compare"/>).</summary>
        public string Holders => Mappings.Compare(Samples[0].Mappings, Samples[^1].Mappings, Samples[0].Requests, Samples[^1].Requests);

        /// <summary>
        /// Growth of the resident set in percent: the median of the last three samples against the median of the first
        /// three (two single readings would measure the GC committing and giving back memory, which moves the resident
        /// set by tens of MiB from one reading to the next); from the two readings when there are fewer than six samples.
        /// </summary>
        public double Growth => Samples.Count >= 6
            ? (MedianResident(Samples.TakeLast(3)) - MedianResident(Samples.Take(3))) * 100.0 / MedianResident(Samples.Take(3))
            : (After - AfterWarmUp) * 100.0 / AfterWarmUp;

        /// <summary>
        /// One generated line under <see cref="Holders"/>: the holder whose resident memory changed most (medians of the
        /// last three samples against the first three, as <see cref="Growth"/>), beside the ranges of the managed heap after
        /// each GC, the GC's committed memory, the thread count and the service's CPU per request over the run, so that growth
        /// in one holder is read beside the live heap, and a slower stretch as the service's cost or the machine's.
        /// </summary>
        public string LargestChange
        {
            get
            {
                const double MiB = MemorySample.MiB;
                var k = Samples.Count >= 6 ? 3 : 1;
                double Held(IEnumerable<MemorySample> samples, string holder) => Median(samples.Select(x => (double)x.Mappings.ResidentByHolder[holder]).ToList());
                var (holder, change) = Mappings.Holders
                    .Select(h => (Holder: h, Change: (Held(Samples.TakeLast(k), h) - Held(Samples.Take(k), h)) / MiB))
                    .MaxBy(x => Math.Abs(x.Change));
                var inv = CultureInfo.InvariantCulture;
                var line = new StringBuilder();
                line.Append(inv, $"Largest change by holder (median of the last {k} samples against the first {k}): {holder}, {change:+0.0;-0.0;0.0} MiB");
                if (Samples.Where(x => x.ManagedHeapBytes is not null && x.GcCommittedBytes is not null).ToList() is { Count: > 0 } gc)
                {
                    line.Append(inv, $"; over the {gc.Count} samples the managed heap after each GC was {gc.Min(x => x.ManagedHeapBytes!.Value) / MiB:0.0}–{gc.Max(x => x.ManagedHeapBytes!.Value) / MiB:0.0} MiB");
                    line.Append(inv, $" and the GC's committed memory {gc.Min(x => x.GcCommittedBytes!.Value) / MiB:0.0}–{gc.Max(x => x.GcCommittedBytes!.Value) / MiB:0.0} MiB");
                }
                line.Append(inv, $"; threads {Samples.Min(x => x.Mappings.Threads)}–{Samples.Max(x => x.Mappings.Threads)}");
                line.Append(inv, $"; the service's CPU per request {Samples.Min(x => x.Interval.CpuMsPerRequest):0.00}–{Samples.Max(x => x.Interval.CpuMsPerRequest):0.00} ms, steal time up to {Samples.Max(x => x.Interval.StealPercent):0.0}%.");
                line.Append(inv, $" {IdleSeconds} s after the load stopped: resident {Idle.ResidentBytes / MiB:0.0} MiB, {Idle.Mappings.Threads} threads");
                if (Idle.GcCommittedBytes is { } committed) line.Append(inv, $", GC committed {committed / MiB:0.0} MiB");
                line.Append(".\n");
                return line.ToString();
            }
        }

        private static double MedianResident(IEnumerable<MemorySample> samples) => Median(samples.Select(x => (double)x.ResidentBytes).ToList());
    }

    /// <summary>
    /// The working set over <paramref name="requests"/> typical requests (1,000,000 by default, issue 19), sampled after
    /// the warm-up and after each 20-second wrk run: resident set (anonymous and file-backed, from /proc), each holder
    /// (<see cref="Mappings"/>), where dotnet-counters is installed the managed heap and the GC's committed memory, and the
    /// run before the sample (<see cref="LoadInterval"/>); then once more <see cref="IdleSeconds"/> after the load stops.
    /// The service runs as deployed, with <paramref name="overrides"/> on top (<see cref="StartServiceAsync"/>).
    /// </summary>
    private static async Task<MemoryResult> MemoryAsync(string dir, string script, long requests, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var db = Path.Combine(dir, "memory.db");
        DeleteDb(db);
        using var service = await StartServiceAsync(ServiceArgs(db), overrides: overrides);
        var url = $"http://127.0.0.1:{service.Port}/cds-services/cml-monitoring";
        var body = Path.Combine(dir, "typical.request.json");
        // 30 s: the first seconds run at a fraction of the steady rate while the JIT compiles and tiers up.
        var (warm, warmInterval) = LoadInterval.Measure(service, () => Wrk.Run(url, body, 16, 30, script));
        await Task.Delay(1000);
        var samples = new List<MemorySample> { MemorySample.Take(service, warm.Requests, warmInterval) };
        var afterWarmUp = service.WorkingSetBytes();
        var total = 0L;
        while (total < requests)
        {
            var (run, interval) = LoadInterval.Measure(service, () => Wrk.Run(url, body, 16, 20, script));
            total += run.Requests;
            samples.Add(MemorySample.Take(service, warm.Requests + total, interval));
            Console.WriteLine(samples[^1]);
        }
        await Task.Delay(1000);
        var after = service.WorkingSetBytes();
        // Then idle: whether what the load added (threads, the GC's committed memory) is given back when it stops.
        var (idleTotal, idleSteal) = LoadInterval.MachineTicks();
        await Task.Delay(TimeSpan.FromSeconds(IdleSeconds));
        var idle = MemorySample.Take(service, warm.Requests + total, LoadInterval.Idle(idleTotal, idleSteal));
        Console.WriteLine(idle);
        return new MemoryResult(afterWarmUp, after, total + warm.Requests, samples, idle);
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), "
            + $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static string Report(DateTime started, int seconds, string micro, List<(string Size, int C, LoadResult Service, LoadResult Ceiling)> load,
        List<(string Mode, LoadResult Result)> gc, FallbackResult fallback, MemoryResult memory, MemoryResult memoryDefault, List<double> startups)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append("# Benchmarks\n\n");
        sb.Append(inv, $"Measured {started:yyyy-MM-dd HH:mm} UTC on {Machine()}, shared and noisy: compare the ratios, which are measured side by side in one run.\n\n");
        sb.Append("Command (needs `wrk`, Debian package):\n\n```sh\ndotnet run -c Release --project tests/CmlCds.Benchmarks -- all\n```\n\n");
        sb.Append(inv, $"The service runs in Release as its own process on 127.0.0.1, with the environment the Dockerfile and the Kubernetes Deployment give it (`MALLOC_ARENA_MAX=2`, workstation GC; GC mode below compares server GC) and the runtime settings of its project file (GC ConserveMemory 7, thread-pool hill climbing off), in the Development environment (no JWT, so wrk can replay one request; log level Warning; audit on, SQLite). Each load figure is one wrk run of {seconds} s after a {WarmUpSeconds}-second warm-up of the freshly started service. Requests: small (1 year, 5 results), typical (10 years quarterly: 40 results, 6 TKI orders, 2 conditions, 1 mutation result, 24 monthly dispenses of the current TKI, 4 other medications), large (20 years monthly: 240 results, 60 dispenses, 8 other medications), with full prefetch; `artifacts/bench/*.request.json`.\n\n");

        sb.Append("## Load: service against the ceiling of the HTTP stack\n\n");
        sb.Append("The ceiling is the same Kestrel reading the same body fully and answering a fixed body of the same size.\n\n");
        sb.Append("| request | connections | service req/s | ceiling req/s | service/ceiling | service p50 ms | service p99 ms | ceiling p50 ms | ceiling p99 ms | errors |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var (size, c, svc, ceil) in load)
            sb.Append(inv, $"| {size} | {c} | {svc.RequestsPerSecond:0} | {ceil.RequestsPerSecond:0} | {svc.RequestsPerSecond / ceil.RequestsPerSecond:0.00} | {svc.P50Ms:0.00} | {svc.P99Ms:0.00} | {ceil.P50Ms:0.00} | {ceil.P99Ms:0.00} | {svc.Errors + ceil.Errors} |\n");

        var typical64 = load.Single(l => l.Size == "typical" && l.C == 64);
        var typical16 = load.Single(l => l.Size == "typical" && l.C == 16);
        var growth = memory.Growth;
        var fallbackRatio = fallback.HookMedianMs / fallback.SlowestQueryMedianMs;
        sb.Append("\n## Targets (typical request)\n\n| target | measured | met |\n|---|---|---|\n");
        Target(sb, "service/ceiling throughput ≥ 0.5 at 64 connections", $"{typical64.Service.RequestsPerSecond / typical64.Ceiling.RequestsPerSecond:0.00}", typical64.Service.RequestsPerSecond / typical64.Ceiling.RequestsPerSecond >= 0.5);
        Target(sb, "p99 ≤ 25 ms at 16 connections", $"{typical16.Service.P99Ms:0.00} ms", typical16.Service.P99Ms <= 25);
        Target(sb, "fallback hook latency ≤ 1.3 × the slowest single query", $"{fallbackRatio:0.00} ×", fallbackRatio <= 1.3);
        Target(sb, $"working-set growth < 5% from warm-up over {memory.Requests:N0} requests (as deployed)", $"{growth:0.0}%", growth < 5);

        sb.Append("\n## GC mode (typical request, 64 connections, same run)\n\n| mode | req/s | p50 ms | p99 ms |\n|---|---|---|---|\n");
        foreach (var (mode, r) in gc)
            sb.Append(inv, $"| {mode} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} |\n");

        sb.Append(inv, $"\n## Fallback: no prefetch, FHIR server on 127.0.0.1 answering each query after 100 ms\n\n");
        sb.Append(inv, $"The typical patient without prefetch: the service makes {fallback.Queries} queries. Median of 35 calls after 5 warm-up.\n\n");
        sb.Append("| hook latency median | hook latency p90 | slowest single query, median | ratio |\n|---|---|---|---|\n");
        sb.Append(inv, $"| {fallback.HookMedianMs:0.0} ms | {fallback.HookP90Ms:0.0} ms | {fallback.SlowestQueryMedianMs:0.0} ms | {fallbackRatio:0.00} |\n");

        sb.Append("\n## Memory\n\n");
        sb.Append("The service as the Dockerfile and the Kubernetes Deployment run it (`MALLOC_ARENA_MAX=2`, workstation GC), typical request, 16 connections; then the same with glibc's default arenas (8 per core), side by side.\n\n");
        sb.Append("| glibc arenas | working set after warm-up | after | requests in between | growth |\n|---|---|---|---|---|\n");
        foreach (var (label, result) in new[] { ("MALLOC_ARENA_MAX=2 (as deployed)", memory), ("default (8 per core)", memoryDefault) })
            sb.Append(inv, $"| {label} | {result.AfterWarmUp / MemorySample.MiB:0.0} MiB | {result.After / MemorySample.MiB:0.0} MiB | {result.Requests:N0} | {result.Growth:0.0}% |\n");
        sb.Append("\nGrowth: the median resident set of the last three samples against that of the first three (single readings move with the GC's committed memory), after a 30-second warm-up.\n");
        sb.Append("\nResident memory by holder (/proc/PID/smaps: the GC's reserved range, glibc malloc's main heap and 64 MiB arenas, thread stacks, the rest), first sample against the last, as deployed:\n\n");
        sb.Append(memory.Holders).Append('\n').Append(memory.LargestChange);
        sb.Append("\nWith glibc's default arenas:\n\n");
        sb.Append(memoryDefault.Holders).Append('\n').Append(memoryDefault.LargestChange);
        sb.Append("\nSamples as deployed (after the warm-up, then after each 20-second wrk run): resident set, its anonymous and file-backed parts (/proc), and, where `dotnet-counters` is installed (`dotnet tool install --global dotnet-counters`), the managed heap after the last GC and the GC's committed memory; glibc malloc's resident memory; threads; and the wrk run before the sample: its rate, the service's CPU per request over it, and the machine's steal time (CPU the hypervisor gave elsewhere, /proc/stat).\n\n");
        sb.Append(MemorySample.Header);
        foreach (var sample in memory.Samples) sb.Append(sample.Row()).Append('\n');
        sb.Append("\nWith glibc's default arenas:\n\n");
        sb.Append(MemorySample.Header);
        foreach (var sample in memoryDefault.Samples) sb.Append(sample.Row()).Append('\n');

        sb.Append("\n## Start-up to the first 200 (GET /cds-services)\n\n");
        sb.Append(inv, $"Median of {startups.Count} starts: {Median(startups):0} ms (min {startups.Min():0}, max {startups.Max():0}).\n");

        sb.Append("\n## Stages (BenchmarkDotNet, in process, short run)\n\n");
        sb.Append(micro).Append('\n');
        return sb.ToString();
    }

    private static void Target(StringBuilder sb, string target, string measured, bool met) =>
        sb.Append(CultureInfo.InvariantCulture, $"| {target} | {measured} | {(met ? "yes" : "no")} |\n");
}
