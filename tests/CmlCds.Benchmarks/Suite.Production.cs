using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace CmlCds.Benchmarks;

/// <summary>Issue 19: the real call path, a signed JWT on every call, beside open mode and the ceiling in one run.</summary>
public static partial class Suite
{
    public sealed record ProductionRow(string Mode, LoadResult Result, double CpuMsPerRequest);

    private const int ProductionConnections = 64;

    /// <summary>The JWT path against the signature alone (BenchmarkDotNet in process).</summary>
    public static string MicroJwt(string dir) => Micro<JwtBenchmarks>(dir);

    /// <summary>The memory section alone, printed: <c>memory [--requests N] [--env NAME=VALUE ...]</c> (1,000,000 by default, as deployed).</summary>
    public static async Task<int> MemoryOnlyAsync(string[] args)
    {
        var requests = Array.IndexOf(args, "--requests") is var at and >= 0 ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : 1_000_000;
        var dir = ArtifactsDirectory();
        WriteRequests(dir);
        var script = Path.Combine(dir, "post.lua");
        await File.WriteAllTextAsync(script, Wrk.PostScript);
        var memory = await MemoryAsync(dir, script, requests, EnvironmentOverrides(args));
        Console.WriteLine(memory.Holders);
        Console.WriteLine(memory.LargestChange);
        Console.WriteLine($"working set {memory.AfterWarmUp / MemorySample.MiB:0.0} MiB after warm-up, {memory.After / MemorySample.MiB:0.0} MiB after {memory.Requests:N0} requests; growth (median of the last three samples against the first three) {memory.Growth:0.0}%");
        return 0;
    }

    /// <summary>
    /// <c>--env NAME=VALUE</c> (repeatable) on top of the deployed environment, e.g. <c>DOTNET_gcServer=1</c> to try server
    /// GC or <c>DOTNET_HillClimbing_Disable=0</c> to turn the thread pool's hill climbing back on (the variable wins over
    /// the project file's runtime setting); <c>--env NAME=</c> leaves NAME out (<c>MALLOC_ARENA_MAX=</c> gives glibc's
    /// default arenas).
    /// </summary>
    private static Dictionary<string, string?> EnvironmentOverrides(string[] args) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length)
            .Select(x => args[x.i + 1].Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 && kv[1].Length > 0 ? kv[1] : null, StringComparer.Ordinal);

    public static async Task<int> ProductionOnlyAsync(string[] args)
    {
        var seconds = Array.IndexOf(args, "--seconds") is var at and >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 10;
        var dir = ArtifactsDirectory();
        WriteRequests(dir);
        var rows = await ProductionAsync(dir, seconds, EnvironmentOverrides(args));
        Console.WriteLine(ProductionReport(rows, args.Contains("--jwt") ? MicroJwt(dir) : "(run with --jwt for the BenchmarkDotNet table)"));
        return rows.All(r => r.Result.Errors == 0) ? 0 : 1;
    }

    /// <summary>
    /// Typical request, 64 connections: the service in open Development mode, the same build in Production mode with two
    /// trusted issuers (RS384 and ES384, keys from JWK Set files) taking a distinct pre-minted token per call, and the
    /// ceiling. CPU per request is the service process's user + system time over the run divided by its requests. Both
    /// services run as deployed with <paramref name="overrides"/> on top (<see cref="StartServiceAsync"/>).
    /// </summary>
    public static async Task<List<ProductionRow>> ProductionAsync(string dir, int seconds, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var body = Path.Combine(dir, "typical.request.json");
        var open = Path.Combine(dir, "post.lua");
        await File.WriteAllTextAsync(open, Wrk.PostScript);
        var tokenScript = Path.Combine(dir, "post-token.lua");
        await File.WriteAllTextAsync(tokenScript, Wrk.TokenScript);
        var rows = new List<ProductionRow>();

        var openDb = Path.Combine(dir, "production-open.db");
        DeleteDb(openDb);
        using (var service = await StartServiceAsync(ServiceArgs(openDb), overrides: overrides))
        {
            var url = $"http://127.0.0.1:{service.Port}/cds-services/cml-monitoring";
            var responseFile = Path.Combine(dir, "production.response.json");
            await File.WriteAllBytesAsync(responseFile, await PostOnce(url, body));
            Wrk.Run(url, body, 16, WarmUpSeconds, open);
            rows.Add(Measure("open (Development, no JWT)", service, () => Wrk.Run(url, body, ProductionConnections, seconds, open)));
            using var ceiling = await ServerProcess.StartAsync(SelfDll(), ["ceiling", "--response", responseFile], "/healthz");
            var ceilingUrl = $"http://127.0.0.1:{ceiling.Port}/cds-services/cml-monitoring";
            Wrk.Run(ceilingUrl, body, 16, 3, open);
            rows.Add(Measure("ceiling", ceiling, () => Wrk.Run(ceilingUrl, body, ProductionConnections, seconds, open)));
        }

        var clients = new[] { BenchClient.Create(SecurityAlgorithms.RsaSha384), BenchClient.Create(SecurityAlgorithms.EcdsaSha384) };
        var db = Path.Combine(dir, "production.db");
        DeleteDb(db);
        string[] settings =
        [
            "--environment", "Production", "--Logging:LogLevel:Default=Warning", "--Limits:PermitsPerMinute=1000000000",
            $"--ConnectionStrings:CmlCds=Data Source={db}", $"--CdsHooks:Auth:PublicBaseUrl={BenchClient.PublicBaseUrl}", "--Audit:PatientKeySecret=bench-secret",
            .. clients.SelectMany((c, i) => c.Settings(i, c.WriteJwks(dir))),
        ];
        using (var service = await StartServiceAsync(settings, overrides: overrides))
        {
            var url = $"http://127.0.0.1:{service.Port}/cds-services/cml-monitoring";
            foreach (var client in clients)
            {
                // Enough distinct tokens for the fastest this machine may go (RS384 verifies ~30 times faster than ES384).
                var perSecond = client.Algorithm == SecurityAlgorithms.RsaSha384 ? 6000 : 2500;
                // The warm-up at 16 connections goes slower; past its tokens a call is refused, which is harmless there.
                var warm = TokenFile(dir, client, "warm", client.Mint(WarmUpSeconds * perSecond / 4, TimeSpan.FromMinutes(30)));
                var run = TokenFile(dir, client, "run", client.Mint(seconds * perSecond, TimeSpan.FromMinutes(30)));
                Wrk.Run(url, body, 16, WarmUpSeconds, tokenScript, new Dictionary<string, string> { ["TOKENS_FILE"] = warm });
                rows.Add(Measure($"Production, {client.Algorithm} JWT per call", service,
                    () => Wrk.Run(url, body, ProductionConnections, seconds, tokenScript, new Dictionary<string, string> { ["TOKENS_FILE"] = run })));
            }
        }
        foreach (var r in rows)
            Console.WriteLine($"{r.Mode}: {r.Result.RequestsPerSecond:0} rps p99 {r.Result.P99Ms:0.00} ms, {r.CpuMsPerRequest:0.000} ms CPU/request, {r.Result.Errors} errors");
        return rows;
    }

    private static string TokenFile(string dir, BenchClient client, string name, string[] tokens)
    {
        var path = Path.Combine(dir, $"tokens-{client.Algorithm.ToLowerInvariant()}-{name}.txt");
        File.WriteAllLines(path, tokens);
        return path;
    }

    private static ProductionRow Measure(string mode, ServerProcess process, Func<LoadResult> run)
    {
        var before = process.CpuTime();
        var result = run();
        var cpu = process.CpuTime() - before;
        return new ProductionRow(mode, result, result.Requests == 0 ? double.NaN : cpu.TotalMilliseconds / result.Requests);
    }

    public static string ProductionReport(List<ProductionRow> rows, string jwtMicro)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("\n## Production mode: a signed JWT on every call (typical request, 64 connections, one run)\n\n");
        sb.Append("The same build in Production with two trusted issuers, RS384 (RSA-2048, Epic's algorithm) and ES384 (P-384, the CDS Hooks sandbox's), keys from JWK Set files; ");
        sb.Append("wrk sends a distinct pre-minted token with each call (a Lua script rotating a token file), so every call is verified and passes the replay cache. ");
        sb.Append("Open mode and the ceiling are measured in the same run. CPU per request: the server process's user + system time over the run, divided by its requests.\n\n");
        sb.Append("| mode | req/s | p50 ms | p99 ms | CPU ms/request | errors |\n|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            sb.Append(inv, $"| {r.Mode} | {r.Result.RequestsPerSecond:0} | {r.Result.P50Ms:0.00} | {r.Result.P99Ms:0.00} | {r.CpuMsPerRequest:0.000} | {r.Result.Errors} |\n");
        sb.Append("\n### JWT validation against the signature alone (BenchmarkDotNet, in process)\n\n");
        sb.Append("`service's JWT path`: the service's JwtBearer handler with its events on an HttpContext, as a call has it (the rate limiter's issuer read, key-free checks, issuer and key lookup, signature, audience, lifetime, replay cache). `signature only`: the RSA or ECDSA verification of the same token. The cost beyond the signature is the difference.\n\n");
        sb.Append(jwtMicro).Append('\n');
        return sb.ToString();
    }
}
