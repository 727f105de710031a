using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace CmlCds.Api.Security;

/// <summary>
/// JWK Sets of trusted issuers, by source (a URL, or <c>file:</c> and a path). Keys are fetched on first use and again
/// when a token names a <c>kid</c> not in the set, at most once a minute per source. A failed fetch keeps the keys
/// already held (and is logged without any token): an unreachable JWKS never takes the service down.
/// </summary>
public sealed partial class JwksCache(IHttpClientFactory http, TimeProvider clock, IHostEnvironment environment, ILogger<JwksCache> log)
{
    public const string HttpClientName = "jwks";
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(1);

    private sealed record Entry(IReadOnlyList<SecurityKey> Keys, DateTimeOffset LastAttempt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<SecurityKey>> KeysAsync(string source, string? kid, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(source, out var entry) && (Has(entry, kid) || clock.GetUtcNow() - entry.LastAttempt < MinimumRefreshInterval))
            return entry.Keys;

        var gate = _locks.GetOrAdd(source, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_entries.TryGetValue(source, out entry) && (Has(entry, kid) || clock.GetUtcNow() - entry.LastAttempt < MinimumRefreshInterval))
                return entry.Keys;
            var keys = await FetchAsync(source, cancellationToken).ConfigureAwait(false);
            var kept = keys ?? entry?.Keys ?? [];
            _entries[source] = new Entry(kept, clock.GetUtcNow());
            return kept;
        }
        finally
        {
            gate.Release();
        }
    }

    private static bool Has(Entry entry, string? kid) => kid is null ? entry.Keys.Count > 0 : entry.Keys.Any(k => k.KeyId == kid);

    private async Task<IReadOnlyList<SecurityKey>?> FetchAsync(string source, CancellationToken cancellationToken)
    {
        try
        {
            string json;
            if (source.StartsWith("file:", StringComparison.Ordinal))
            {
                var path = Path.Combine(environment.ContentRootPath, source["file:".Length..]);
                json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                json = await http.CreateClient(HttpClientName).GetStringAsync(new Uri(source), timeout.Token).ConfigureAwait(false);
            }
            // Asymmetric keys only: a symmetric "oct" key in a JWKS could otherwise verify an HS* token.
            var keys = new JsonWebKeySet(json).Keys.Where(k => k.Kty is "EC" or "RSA").Cast<SecurityKey>().ToList();
            LogFetched(log, source, keys.Count);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or ArgumentException or OperationCanceledException or System.Text.Json.JsonException)
        {
            if (cancellationToken.IsCancellationRequested) throw;
            LogFetchFailed(log, source, e.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "JWKS {Source}: {Count} signing keys")]
    private static partial void LogFetched(ILogger log, string source, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "JWKS {Source} could not be fetched ({Error}); keeping the keys already held")]
    private static partial void LogFetchFailed(ILogger log, string source, string error);
}
