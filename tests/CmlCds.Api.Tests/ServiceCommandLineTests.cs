using System.Net;
using System.Net.Sockets;
using CmlCds.Api.Tests.Infrastructure;
using CmlCds.Tests.Shared;

namespace CmlCds.Api.Tests;

/// <summary>The service program run as a process, as `dotnet run --project src/CmlCds.Api` runs it.</summary>
public sealed class ServiceCommandLineTests
{
    private static readonly string ContentRoot = Path.Combine(Repo.Root, "src", "CmlCds.Api");

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_it_and_urls()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)busy.LocalEndpoint).Port}";
        var r = await CmlcdsProcess.DotnetAsync(ContentRoot, "CmlCds.Api.dll", "--environment", "Development", "--urls", url);
        Assert.True(r.Exit == 1, r.ToString());
        Assert.Equal($"Cannot listen on {url}: the port is already in use by another program. Stop it, or choose another address with --urls, e.g. --urls http://localhost:5081\n", r.Errors);
        Assert.DoesNotContain("Exception", r.Output + r.Errors);
    }

    [Fact]
    public async Task Analytics_prints_only_the_table_on_stdout()
    {
        var database = Path.Combine(Path.GetTempPath(), $"cmlcds-analytics-{Guid.NewGuid():N}.db");
        try
        {
            var r = await CmlcdsProcess.DotnetAsync(ContentRoot, "CmlCds.Api.dll", "analytics", "--from", "2026-01-01", "--to", "2026-06-30",
                $"--ConnectionStrings:CmlCds=Data Source={database}");
            Assert.True(r.Exit == 0, r.ToString());
            Assert.StartsWith("CML CDS card analytics, 2026-01-01 to 2026-06-30 (UTC)\n", r.Output);
            Assert.Contains("(no cards in this period)", r.Output);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(database + suffix);
        }
    }
}
