using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CmlCds.Api.Security;

/// <summary>
/// Checks on a JWT that need no key, run before the issuer's keys are looked up and before any signature is verified
/// (cheap checks first), and the fit of a key to the token's <c>alg</c>. Each refusal is a short reason for the log.
/// <list type="bullet">
/// <item><c>crit</c> (RFC 7515 §4.1.11): this service understands no JWS extension, so any <c>crit</c> header, and an
/// empty one, is refused;</item>
/// <item><c>exp</c>, <c>iat</c> (and <c>nbf</c> when present) must be JSON numbers (RFC 7519 NumericDate), not strings;</item>
/// <item><c>iat</c> may not lie in the future beyond the clock skew;</item>
/// <item>lifetime: <c>exp − iat</c> and <c>exp − now</c> at most <see cref="TrustOptions.MaxTokenLifetimeSeconds"/>, so no
/// token outlives the <c>jti</c> replay cache by much, and no date arithmetic is done near year 9999.</item>
/// </list>
/// </summary>
public static class TokenChecks
{
    /// <summary>Why the token is refused, or null when these checks pass.</summary>
    public static string? Refusal(JsonWebToken jwt, TrustOptions trust, DateTimeOffset now)
    {
        if (!CdsAuthentication.AsymmetricAlgorithms.Contains(jwt.Alg, StringComparer.Ordinal))
            return "alg not allowed (asymmetric ES*, RS*, PS* only)";
        if (jwt.TryGetHeaderValue<object>("crit", out var crit))
            return crit is System.Collections.ICollection { Count: 0 } || crit is JsonElement { ValueKind: JsonValueKind.Array } e && e.GetArrayLength() == 0
                ? "crit header is empty"
                : "crit header names an extension this service does not support";

        return PayloadRefusal(jwt.EncodedPayload, trust, now);
    }

    /// <summary>
    /// The claim checks alone, on the encoded payload: also run when the token library cannot read the token at all
    /// (it refuses an <c>exp</c> it cannot convert), so the log says which claim is wrong.
    /// </summary>
    public static string? PayloadRefusal(string encodedPayload, TrustOptions trust, DateTimeOffset now)
    {
        JsonDocument payload;
        try
        {
            payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encodedPayload));
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
        using (payload)
        {
            if (payload.RootElement.ValueKind != JsonValueKind.Object) return null;
            if (!NumericDate(payload.RootElement, "exp", required: true, out var exp, out var expProblem)) return expProblem;
            if (!NumericDate(payload.RootElement, "iat", required: true, out var iat, out var iatProblem)) return iatProblem;
            if (!NumericDate(payload.RootElement, "nbf", required: false, out _, out var nbfProblem)) return nbfProblem;

            var nowSeconds = now.ToUnixTimeSeconds();
            if (iat > nowSeconds + trust.ClockSkewSeconds) return "iat in the future";
            if (exp - iat > trust.MaxTokenLifetimeSeconds) return $"lifetime (exp - iat) over {trust.MaxTokenLifetimeSeconds} s";
            if (exp - nowSeconds > trust.MaxTokenLifetimeSeconds) return $"exp more than {trust.MaxTokenLifetimeSeconds} s ahead";
        }
        return null;
    }

    private static bool NumericDate(JsonElement payload, string claim, bool required, out double seconds, out string? problem)
    {
        seconds = 0;
        problem = null;
        if (!payload.TryGetProperty(claim, out var value))
        {
            if (required) problem = "missing " + claim;
            return !required;
        }
        // A NumericDate within the calendar (years 1 to 9999); the lifetime cap then refuses the far ones without arithmetic on dates.
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out seconds) || !double.IsFinite(seconds)
            || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            problem = claim + " is not a NumericDate";
            return false;
        }
        return true;
    }

    /// <summary>
    /// True when <paramref name="key"/> can verify <paramref name="algorithm"/>: ES256/384/512 only with a P-256/P-384/P-521
    /// key, RS*/PS* only with an RSA key, and the key's own <c>alg</c>, when it names one, equal to the token's.
    /// </summary>
    public static bool KeyFitsAlgorithm(SecurityKey key, string? algorithm)
    {
        if (key is not JsonWebKey jwk || algorithm is null) return key is not JsonWebKey && algorithm is not null;
        if (!string.IsNullOrEmpty(jwk.Alg) && !string.Equals(jwk.Alg, algorithm, StringComparison.Ordinal)) return false;
        return algorithm switch
        {
            SecurityAlgorithms.EcdsaSha256 => jwk.Kty == "EC" && jwk.Crv == "P-256",
            SecurityAlgorithms.EcdsaSha384 => jwk.Kty == "EC" && jwk.Crv == "P-384",
            SecurityAlgorithms.EcdsaSha512 => jwk.Kty == "EC" && jwk.Crv == "P-521",
            _ when algorithm.StartsWith("RS", StringComparison.Ordinal) || algorithm.StartsWith("PS", StringComparison.Ordinal) => jwk.Kty == "RSA",
            _ => false,
        };
    }

    /// <summary>Why the fetched keys cannot verify the token although one carries its <c>kid</c>, or null.</summary>
    public static string? KeyRefusal(IReadOnlyList<SecurityKey> keys, JsonWebToken jwt)
    {
        var named = keys.Where(k => jwt.Kid is null || k.KeyId == jwt.Kid).ToList();
        return named.Count > 0 && !named.Any(k => KeyFitsAlgorithm(k, jwt.Alg)) ? "key does not fit the token's alg" : null;
    }
}
