using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CmlCds.Benchmarks;

/// <summary>
/// A CDS client's signing key for the Production-mode benchmarks: RS384 (Epic's algorithm, RSA-2048) or ES384 (the CDS
/// Hooks sandbox's, P-384), its JWK Set file, and distinct tokens minted ahead of the run (each jti is used once).
/// </summary>
public sealed class BenchClient
{
    public const string PublicBaseUrl = "https://cds.example.org";
    public const string Audience = PublicBaseUrl + "/cds-services/cml-monitoring";

    public string Algorithm { get; }
    public string Issuer { get; }
    public SecurityKey PrivateKey { get; }
    public JsonObject PublicJwk { get; }
    public RSA? Rsa { get; }
    public ECDsa? Ec { get; }

    private BenchClient(string algorithm, SecurityKey key, JsonObject jwk, RSA? rsa, ECDsa? ec)
    {
        Algorithm = algorithm;
        Issuer = $"https://ehr-{algorithm.ToLowerInvariant()}.example.org";
        PrivateKey = key;
        PublicJwk = jwk;
        Rsa = rsa;
        Ec = ec;
    }

    public static BenchClient Create(string algorithm)
    {
        var kid = "bench-" + algorithm.ToLowerInvariant();
        if (algorithm == SecurityAlgorithms.RsaSha384)
        {
            var rsa = RSA.Create(2048);
            var p = rsa.ExportParameters(false);
            return new BenchClient(algorithm, new RsaSecurityKey(rsa) { KeyId = kid }, new JsonObject
            {
                ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["alg"] = algorithm,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            }, rsa, null);
        }
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var q = ec.ExportParameters(false);
        return new BenchClient(algorithm, new ECDsaSecurityKey(ec) { KeyId = kid }, new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-384", ["kid"] = kid, ["use"] = "sig", ["alg"] = algorithm,
            ["x"] = Base64UrlEncoder.Encode(q.Q.X), ["y"] = Base64UrlEncoder.Encode(q.Q.Y),
        }, null, ec);
    }

    public string WriteJwks(string dir)
    {
        var path = Path.Combine(dir, $"jwks-{Algorithm.ToLowerInvariant()}.json");
        File.WriteAllText(path, new JsonObject { ["keys"] = new JsonArray(PublicJwk.DeepClone()) }.ToJsonString());
        return path;
    }

    /// <summary>The service's settings trusting this client (with <paramref name="index"/> as its issuer slot).</summary>
    public IEnumerable<string> Settings(int index, string jwksFile) =>
    [
        $"--CdsHooks:Auth:TrustedIssuers:{index}:Issuer={Issuer}",
        $"--CdsHooks:Auth:TrustedIssuers:{index}:JwksFile={jwksFile}",
    ];

    /// <summary><paramref name="count"/> distinct tokens (5-minute lifetime from now ... plus <paramref name="validFor"/>), minted on every core.</summary>
    public string[] Mint(int count, TimeSpan validFor)
    {
        var tokens = new string[count];
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var credentials = new SigningCredentials(PrivateKey, Algorithm);
        var now = DateTime.UtcNow;
        Parallel.For(0, count, i =>
        {
            tokens[i] = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = Audience,
                IssuedAt = now,
                Expires = now + validFor,
                Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N") },
                SigningCredentials = credentials,
            });
        });
        return tokens;
    }
}
