using System.Net.Http.Headers;
using CmlCds.Hooks.Cards;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>The real service on Kestrel at 127.0.0.1 (a free port), with the clock and uuids fixed.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset GoldenNow = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly string? _databaseFile;
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public SequentialCardIds CardIds { get; }
    public Uri BaseAddress { get; }

    private TestHost(WebApplication app, SequentialCardIds ids, Uri baseAddress, string? databaseFile)
    {
        _app = app;
        _databaseFile = databaseFile;
        CardIds = ids;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
        Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>
    /// <paramref name="settings"/> with a FHIR-server deadline for integration tests on a busy machine: what the
    /// service allows one call by default (3 s) for each page it may follow (<c>FhirServer:MaxPages</c>, 20), so that
    /// a call following many pages one after another is not cut short by the machine's speed. The deadline itself is
    /// tested with a FHIR double that never answers (FhirServerFallbackTests).
    /// </summary>
    public static Dictionary<string, string?> WithPagedDeadline(IDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>()) { ["FhirServer:DeadlineMs"] = (20 * 3000).ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <param name="fixClock">False: the service's own clock (the system's, or what its settings make it) instead of <see cref="GoldenNow"/>.</param>
    public static async Task<TestHost> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null, bool fixClock = true)
    {
        var ids = new SequentialCardIds();
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--environment", "Development" };
        settings ??= new Dictionary<string, string?>();
        string? databaseFile = null;
        if (!settings.ContainsKey("ConnectionStrings:CmlCds"))
        {
            databaseFile = Path.Combine(Path.GetTempPath(), $"cmlcds-test-{Guid.NewGuid():N}.db");
            args.Add($"--ConnectionStrings:CmlCds=Data Source={databaseFile}");
        }
        foreach (var (key, value) in settings)
            args.Add($"--{key}={value}");
        var app = CmlCdsApp.Create(args.ToArray(), builder =>
        {
            builder.Logging.ClearProviders();
            if (fixClock) builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FixedClock(GoldenNow)));
            builder.Services.Replace(ServiceDescriptor.Singleton<ICardIds>(ids));
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, ids, new Uri(address), databaseFile);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_databaseFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_databaseFile + suffix);
        }
    }
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A clock a test moves by hand (timers still run on real time).</summary>
public sealed class MutableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Uuids 00000000-0000-4000-8000-000000000001, ...002 ...; <see cref="Reset"/> before each golden request.</summary>
public sealed class SequentialCardIds : ICardIds
{
    private int _next;
    public void Reset() => Interlocked.Exchange(ref _next, 0);
    public string NewUuid() => $"00000000-0000-4000-8000-{Interlocked.Increment(ref _next):D12}";
}

public static class Repo
{
    /// <summary>The repository root (where CmlCds.sln is), found from the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CmlCds.sln"))) return dir.FullName;
        throw new InvalidOperationException("CmlCds.sln not found above " + AppContext.BaseDirectory);
    }
}
