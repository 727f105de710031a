using System.Collections.Concurrent;

namespace CmlCds.Api.Security;

/// <summary>
/// Where a token's <c>iss</c> + <c>jti</c> is remembered until the token expires: the same token presented twice within
/// its lifetime is a replay (CDS Hooks 2.0: <c>jti</c> is a nonce). In memory for one instance on SQLite
/// (<see cref="JtiReplayCache"/>); in PostgreSQL, shared by every instance, when storage is PostgreSQL
/// (<see cref="Storage.PostgresReplayGuard"/>).
/// </summary>
public interface IReplayGuard
{
    /// <summary>True the first time; false when this issuer already used this jti and the token has not expired.</summary>
    ValueTask<bool> TryRegisterAsync(string issuer, string jti, DateTimeOffset expires, CancellationToken cancellationToken);
}

/// <summary>The replay guard of a single instance: in memory, expired entries swept as new ones arrive.</summary>
public sealed class JtiReplayCache(TimeProvider clock) : IReplayGuard
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _adds;

    public ValueTask<bool> TryRegisterAsync(string issuer, string jti, DateTimeOffset expires, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryRegister(issuer, jti, expires));

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
