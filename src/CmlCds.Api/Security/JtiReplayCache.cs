using System.Collections.Concurrent;

namespace CmlCds.Api.Security;

/// <summary>
/// Remembers each token's <c>iss</c> + <c>jti</c> until the token expires: the same token presented twice within its
/// lifetime is a replay (CDS Hooks 2.0: <c>jti</c> is a nonce). Expired entries are swept as new ones arrive.
/// </summary>
public sealed class JtiReplayCache(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _adds;

    /// <summary>True the first time; false when this issuer already used this jti and the token has not expired.</summary>
    public bool TryRegister(string issuer, string jti, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        if (Interlocked.Increment(ref _adds) % 1024 == 0) Sweep(now);
        var key = issuer + "\n" + jti;
        if (_seen.TryAdd(key, expires)) return true;
        if (_seen.TryGetValue(key, out var until) && until < now)
        {
            _seen[key] = expires;
            return true;
        }
        return false;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, until) in _seen)
            if (until < now) _seen.TryRemove(key, out _);
    }
}
