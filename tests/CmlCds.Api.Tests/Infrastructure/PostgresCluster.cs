using System.Diagnostics;
using CmlCds.Api.Storage;
using Npgsql;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster made with the Debian binaries (initdb, pg_ctl) in a temp directory on a free port of
/// 127.0.0.1, started once per test run and removed at exit. Each test gets a fresh database in it.
/// </summary>
public sealed class PostgresCluster
{
    public static string? BinDirectory { get; } = FindBin();
    public static bool Required => Environment.GetEnvironmentVariable("CMLCDS_REQUIRE_POSTGRES") == "1";
    public static bool Available => BinDirectory is not null;

    /// <summary>Why the PostgreSQL variants do not run here; null when they run.</summary>
    public static string? SkipReason => Available || Required ? null
        : "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql: install the 'postgresql' package to run the PostgreSQL variants of the storage tests (CI sets CMLCDS_REQUIRE_POSTGRES=1 and installs it)";

    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);
    private readonly string _directory;
    private readonly int _port;
    private int _databases;

    private PostgresCluster(string directory, int port)
    {
        _directory = directory;
        _port = port;
    }

    public static Task<PostgresCluster> GetAsync() => Available
        ? Shared.Value
        : throw new InvalidOperationException("CMLCDS_REQUIRE_POSTGRES=1 but initdb/pg_ctl are not installed (apt-get install postgresql).");

    public async Task<Database> NewDatabaseAsync()
    {
        var name = $"cmlcds_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new Database(StorageProvider.Postgres, ConnectionString(name));
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Timeout=30";

    private static async Task<PostgresCluster> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cmlcds-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["postgres:postgres", directory]);
        var port = Ports.Free();
        await RunAsync(Path.Combine(BinDirectory!, "initdb"), ["-D", Path.Combine(directory, "data"), "-A", "trust", "-U", "postgres", "--no-sync"], asRoot);
        await RunAsync(Path.Combine(BinDirectory!, "pg_ctl"),
            ["-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], asRoot);
        var cluster = new PostgresCluster(directory, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop(asRoot);
        return cluster;
    }

    private void Stop(bool asRoot)
    {
        try
        {
            var stop = Start(Path.Combine(BinDirectory!, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "stop"], asRoot);
            stop.WaitForExit(15_000);
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // best effort at process exit: the directory is under the temp folder
        }
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres = false)
    {
        using var process = Start(file, args, asPostgres);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await output} {await errors}");
    }

    /// <summary>PostgreSQL refuses to run as root: as root, the command runs as the 'postgres' user.</summary>
    private static Process Start(string file, string[] args, bool asPostgres)
    {
        var info = asPostgres ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args]) : new ProcessStartInfo(file, args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
    }

    private static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl"))).OrderDescending().FirstOrDefault()
            : null;
}

/// <summary>A fact that needs PostgreSQL: skipped, with the reason, where it is not installed and not required.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresCluster.SkipReason;
}

/// <summary>A TCP port free on 127.0.0.1 right now, for a server a test starts as its own process.</summary>
public static class Ports
{
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
