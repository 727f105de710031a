using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Health;
using CmlCds.Api.Storage;
using CmlCds.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 19: <c>/healthz</c>, <c>/readyz</c> and graceful shutdown. Two service processes on one PostgreSQL database
/// behind a reverse proxy (YARP, in this test's process) that sends calls only to instances whose <c>/readyz</c> answers
/// 200. Under a steady load of hook calls and feedback posts, each instance in turn is sent SIGTERM, exits, and is
/// started again: no call through the proxy fails, and every feedback item acknowledged is stored.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class RollingRestartTests
{
    private sealed class Proxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentDictionary<string, int> Served { get; } = new();
        public Uri BaseAddress { get; }

        private Proxy(WebApplication app, Uri baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        /// <summary>Round robin over the destinations that are ready: probed every 100 ms, out at the first failed probe.</summary>
        public static async Task<Proxy> StartAsync(IReadOnlyDictionary<string, int> ports)
        {
            var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
            builder.Logging.ClearProviders();
            var cluster = new ClusterConfig
            {
                ClusterId = "cds",
                LoadBalancingPolicy = "RoundRobin",
                HealthCheck = new HealthCheckConfig
                {
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true, Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(2),
                        Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures, Path = "/readyz",
                    },
                },
                Metadata = new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" },
                Destinations = ports.ToDictionary(p => p.Key, p => new DestinationConfig { Address = $"http://127.0.0.1:{p.Value}" }),
            };
            var route = new RouteConfig { RouteId = "all", ClusterId = "cds", Match = new RouteMatch { Path = "{**rest}" } };
            builder.Services.AddReverseProxy().LoadFromMemory([route], [cluster]);
            var app = builder.Build();
            Proxy? proxy = null;
            app.MapReverseProxy(pipeline => pipeline.Use(async (http, next) =>
            {
                await next();
                if (http.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination)
                    proxy!.Served.AddOrUpdate(destination.DestinationId, 1, (_, n) => n + 1);
            }));
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            proxy = new Proxy(app, address);
            return proxy;
        }

        public int Count(string destination) => Served.GetValueOrDefault(destination);

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task WaitFor(Func<bool> condition, string what, int seconds = 120)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"waited {seconds} s for {what}");
            await Task.Delay(20);
        }
    }

    [PostgresFact]
    public async Task SIGTERM_and_restart_of_each_instance_under_load_fails_no_call_and_loses_no_feedback()
    {
        var database = await (await PostgresCluster.GetAsync()).NewDatabaseAsync();
        string[] settings = ["--Storage:Provider=Postgres", $"--ConnectionStrings:CmlCds={database.ConnectionString}", "--Shutdown:DelaySeconds=5", "--Shutdown:DrainSeconds=30"];
        var ports = new Dictionary<string, int> { ["a"] = Ports.Free(), ["b"] = Ports.Free() };
        var processes = new ConcurrentDictionary<string, Process>();
        foreach (var (name, port) in ports) processes[name] = await DurabilityTests.StartProcess(port, settings);
        await using var proxy = await Proxy.StartAsync(ports);

        var failures = new ConcurrentQueue<string>();
        var acknowledged = new ConcurrentBag<string>();
        var calls = 0;
        using var client = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var stop = new CancellationTokenSource();
        async Task Load()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var hook = await client.PostAsync("/cds-services/cml-monitoring",
                        new StringContent(ScaleOutTests.HookRequest(Guid.NewGuid().ToString()), Encoding.UTF8, "application/json"));
                    Interlocked.Increment(ref calls);
                    if (!hook.IsSuccessStatusCode) { failures.Enqueue($"hook call: {(int)hook.StatusCode}"); continue; }
                    var card = (string)JsonNode.Parse(await hook.Content.ReadAsStringAsync())!["cards"]![0]!["uuid"]!;
                    var body = $$"""{"feedback":[{"card":"{{card}}","outcome":"overridden","outcomeTimestamp":"2026-06-01T10:00:00Z"}]}""";
                    using var feedback = await client.PostAsync("/cds-services/cml-monitoring/feedback", new StringContent(body, Encoding.UTF8, "application/json"));
                    Interlocked.Increment(ref calls);
                    if (feedback.StatusCode == HttpStatusCode.OK) acknowledged.Add(card);
                    else failures.Enqueue($"feedback: {(int)feedback.StatusCode}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures.Enqueue(e.GetType().Name + ": " + e.Message);
                }
            }
        }
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Load)).ToArray();
        try
        {
            await WaitFor(() => proxy.Count("a") >= 20 && proxy.Count("b") >= 20, "both instances to take calls");
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var (name, port) in ports)
            {
                var process = processes[name];
                Assert.Equal(0, DurabilityTests.SendSignal(process.Id, 15)); // SIGTERM
                // Not ready while still answering: the proxy takes it out before it stops listening.
                var notReady = false;
                while (!notReady && !process.HasExited)
                {
                    try
                    {
                        using var ready = await probe.GetAsync($"http://127.0.0.1:{port}/readyz");
                        notReady = ready.StatusCode == HttpStatusCode.ServiceUnavailable;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                    if (!notReady) await Task.Delay(20);
                }
                Assert.True(notReady, $"instance {name} exited without reporting not ready first");
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
                Assert.Equal(0, process.ExitCode);

                processes[name] = await DurabilityTests.StartProcess(port, settings);
                var before = proxy.Count(name);
                await WaitFor(() => proxy.Count(name) >= before + 20, $"the restarted instance {name} to take calls again");
            }
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(workers);
            foreach (var process in processes.Values)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} of {calls} calls failed through the proxy: {string.Join("; ", failures.Take(5))}");
        var stored = new HashSet<string>();
        await using (var connection = await database.OpenAsync())
        await using (var command = Database.Command(connection, null, "SELECT card_uuid FROM feedback"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        var lost = acknowledged.Where(c => !stored.Contains(c)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged feedback items are not stored");
        Assert.True(acknowledged.Count >= 80);
        Console.WriteLine($"rolling restart: {calls} calls through the proxy, 0 failed, {acknowledged.Count} feedback items acknowledged and stored");
    }
}

/// <summary><c>/readyz</c> and its checks: storage reachable, migrations applied, conformance package loaded, not shutting down.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_is_200_with_every_check_and_healthz_is_ok()
    {
        await using var host = await TestHost.StartAsync();
        using var ready = await host.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("ready", (string)report["status"]!);
        Assert.Equal(["shutdown", "conformance", "storage", "migrations"], report["checks"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal("ok", await host.Client.GetStringAsync("/healthz"));

        host.Services.GetRequiredService<Readiness>().StartDraining();
        using var draining = await host.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        Assert.Contains("shutting down", await draining.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_when_the_schema_is_behind_or_the_database_unreachable()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cmlcds-ready-{Guid.NewGuid():N}.db");
        var behind = new Database(StorageProvider.Sqlite, $"Data Source={file}");
        await using (var connection = await behind.OpenAsync())
            await Database.ExecuteAsync(connection, null, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL); INSERT INTO schema_version VALUES (1, 'x', 'y')", default);
        var report = await new Readiness(behind).CheckAsync(default);
        Assert.Equal("not ready", report.Status);
        Assert.Contains(report.Checks, c => c is { Name: "migrations", Ok: false } && c.Detail.Contains($"schema version 1 of {Migrations.Latest}", StringComparison.Ordinal));

        var unreachable = new Database(StorageProvider.Postgres, $"Host=127.0.0.1;Port={Ports.Free()};Username=postgres;Database=none;Timeout=2");
        var down = await new Readiness(unreachable).CheckAsync(default);
        Assert.Contains(down.Checks, c => c is { Name: "storage", Ok: false });
        Assert.Equal("not ready", down.Status);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(file);
    }
}
