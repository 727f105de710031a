using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using CmlCds.Api;
using CmlCds.Api.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace CmlCds.Benchmarks;

/// <summary>
/// What JWT validation costs on the service's real path, against the signature check alone (issue 19): the service's
/// own JwtBearer handler and events (the rate limiter's issuer read, the key-free checks, issuer and key lookup, the
/// token library's validation, audience, replay cache) run on an HttpContext as a request would, beside a bare
/// RSA/ECDSA verification of the same token. Beyond the signature = the first minus the second.
/// </summary>
[MemoryDiagnoser]
public class JwtBenchmarks
{
    [Params("RS384", "ES384")]
    public string Algorithm { get; set; } = "RS384";

    private BenchClient _client = null!;
    private WebApplication _app = null!;
    private IHttpContextAccessor _accessor = null!;
    private string[] _tokens = [];
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private int _next;
    private RSA? _publicRsa;
    private ECDsa? _publicEc;

    /// <summary>The replay cache as the service has it, fed a distinct jti each call: BenchmarkDotNet reuses the tokens.</summary>
    private sealed class DistinctReplay(JtiReplayCache inner) : IReplayGuard
    {
        private long _n;
        public ValueTask<bool> TryRegisterAsync(string issuer, string jti, DateTimeOffset expires, CancellationToken cancellationToken) =>
            inner.TryRegisterAsync(issuer, jti + Interlocked.Increment(ref _n), expires, cancellationToken);
    }

    [GlobalSetup]
    public void Setup()
    {
        _client = BenchClient.Create(Algorithm);
        var dir = Suite.ArtifactsDirectory();
        var jwks = _client.WriteJwks(dir);
        _app = CmlCdsApp.Create(
        [
            "--environment", "Production", "--Logging:LogLevel:Default=None", $"--CdsHooks:Auth:PublicBaseUrl={BenchClient.PublicBaseUrl}",
            "--Audit:PatientKeySecret=bench", $"--ConnectionStrings:CmlCds=Data Source={Path.Combine(dir, "jwt-bench.db")}", .. _client.Settings(0, jwks),
        ], b => b.Services.Replace(ServiceDescriptor.Singleton<IReplayGuard>(sp => new DistinctReplay(sp.GetRequiredService<JtiReplayCache>()))));
        _accessor = _app.Services.GetRequiredService<IHttpContextAccessor>();
        _tokens = _client.Mint(256, TimeSpan.FromMinutes(50));
        var parts = _tokens[0].Split('.');
        _signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        // The baseline verifies with the public key alone, as the service does.
        _publicRsa = _client.Rsa is { } rsa ? RSA.Create(rsa.ExportParameters(false)) : null;
        _publicEc = _client.Ec is { } ec ? ECDsa.Create(ec.ExportParameters(false)) : null;
        _signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        for (var i = 0; i < 512; i++)
            if (!Validate().GetAwaiter().GetResult()) throw new InvalidOperationException($"benchmark token {i} is refused");
    }

    /// <summary>A plain loop of each, timed by a stopwatch and by the thread's CPU time: a check on BenchmarkDotNet's figures.</summary>
    public static int Check()
    {
        foreach (var algorithm in new[] { "RS384", "ES384" })
        {
            var b = new JwtBenchmarks { Algorithm = algorithm };
            b.Setup();
            const int n = 3000;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < n; i++) b.Signature();
            var signature = watch.Elapsed.TotalMicroseconds / n;
            watch.Restart();
            var ok = 0;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < n; i++) ok += b.Validate().GetAwaiter().GetResult() ? 1 : 0;
            var path = watch.Elapsed.TotalMicroseconds / n;
            var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / n;
            var parts = b._tokens[1].Split('.');
            b._tokens[1] = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? "B" : "A") + parts[2][1..];
            b._next = 1;
            var tampered = b.Validate().GetAwaiter().GetResult();
            if (tampered) throw new InvalidOperationException("a token with a changed signature was accepted: the benchmark does not run the real path");
            Console.WriteLine($"{algorithm}: signature only {signature:0.0} us, service's JWT path {path:0.0} us ({ok} of {n} accepted, {bytes} B allocated per call), beyond the signature {path - signature:0.0} us");
            b.Cleanup();
        }
        return 0;
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "signature only")]
    public bool Signature() => _publicRsa is { } rsa
        ? rsa.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1)
        : _publicEc!.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA384);

    [Benchmark(Description = "service's JWT path")]
    public async Task<bool> Validate()
    {
        // A request scope per call, as the host gives each request: the authentication handler (and its cached result) is per scope.
        await using var scope = _app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = "POST";
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1");
        http.Request.Path = "/cds-services/cml-monitoring";
        http.Request.Headers.Authorization = "Bearer " + _tokens[_next++ & 255];
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        _accessor.HttpContext = http;
        _ = CmlCds.Api.Extensions.SecurityExtensions.RateLimitKey(http);
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        return result.Succeeded;
    }
}
