using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>A signing key of a test CDS client, with its public JWK.</summary>
public sealed class ClientKey
{
    public SecurityKey Key { get; }
    public string Algorithm { get; }
    public JsonObject PublicJwk { get; }

    private ClientKey(SecurityKey key, string algorithm, JsonObject jwk)
    {
        Key = key;
        Algorithm = algorithm;
        PublicJwk = jwk;
    }

    public static ClientKey Es384(string kid)
    {
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ec.ExportParameters(false);
        return new ClientKey(new ECDsaSecurityKey(ec) { KeyId = kid }, SecurityAlgorithms.EcdsaSha384, new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-384", ["kid"] = kid, ["use"] = "sig", ["alg"] = "ES384",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        });
    }

    public static ClientKey Rs384(string kid)
    {
        var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        return new ClientKey(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha384, new JsonObject
        {
            ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["alg"] = "RS384",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        });
    }
}

/// <summary>Builds JWTs the way CDS clients do, and the broken ones attackers send.</summary>
public static class Jwt
{
    public static string Sign(ClientKey key, string issuer, string audience, DateTime expires, DateTime? notBefore = null,
        bool issuedAt = true, string? jti = "generate", IDictionary<string, object>? claims = null, IDictionary<string, object>? header = null)
    {
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>());
        if (jti is not null) all["jti"] = jti == "generate" ? Guid.NewGuid().ToString() : jti;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = expires,
            NotBefore = notBefore,
            IssuedAt = issuedAt ? DateTime.UtcNow : null,
            Claims = all,
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
            AdditionalHeaderClaims = header,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsecured JWT: <c>alg: none</c>, no signature.</summary>
    public static string None(string issuer, string audience, string? jku = null)
    {
        var head = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
        if (jku is not null) head["jku"] = jku;
        return $"{Part(head)}.{Part(Payload(issuer, audience))}.";
    }

    /// <summary>The algorithm-confusion attack: HS256 "signed" with the issuer's public key as the shared secret.</summary>
    public static string Hs256WithPublicKey(ClientKey publicKey, string issuer, string audience)
    {
        var head = Part(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = publicKey.Key.KeyId });
        var body = Part(Payload(issuer, audience));
        var secret = Encoding.UTF8.GetBytes(publicKey.PublicJwk.ToJsonString());
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{head}.{body}"));
        return $"{head}.{body}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>A valid token whose payload was changed after signing.</summary>
    public static string Tamper(string token, string claim, string value)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[claim] = value;
        return $"{parts[0]}.{Part(payload)}.{parts[2]}";
    }

    /// <summary>The token with its payload changed by <paramref name="edit"/>, signed again with the same key (a valid signature over odd claims).</summary>
    public static string Resign(string token, ClientKey key, Action<JsonObject> edit)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        edit(payload);
        return SignParts(parts[0], Part(payload), key);
    }

    /// <summary>The token with its header changed by <paramref name="edit"/>, signed again with the same key.</summary>
    public static string ResignWithHeader(string token, ClientKey key, Action<JsonObject> edit)
    {
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        edit(header);
        return SignParts(Part(header), parts[1], key);
    }

    private static string SignParts(string header, string payload, ClientKey key)
    {
        var provider = key.Key.CryptoProviderFactory.CreateForSigning(key.Key, key.Algorithm);
        try
        {
            var signature = provider.Sign(Encoding.ASCII.GetBytes($"{header}.{payload}"));
            return $"{header}.{payload}.{Base64UrlEncoder.Encode(signature)}";
        }
        finally
        {
            key.Key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    private static JsonObject Payload(string issuer, string audience) => new()
    {
        ["iss"] = issuer, ["aud"] = audience, ["jti"] = Guid.NewGuid().ToString(),
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
    };

    private static string Part(JsonObject json) => Base64UrlEncoder.Encode(json.ToJsonString());
}

/// <summary>Serves JWK Sets on 127.0.0.1 (WireMock.Net, a free port) and counts the fetches.</summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WireMockServer _server;

    public Uri BaseUrl { get; }

    /// <summary>Every request the server had, a JWK Set path or not.</summary>
    public int Fetches => _server.LogEntries.Count();

    private JwksServer(WireMockServer server)
    {
        _server = server;
        BaseUrl = new Uri(server.Url!);
    }

    public static Task<JwksServer> StartAsync() => Task.FromResult(new JwksServer(WireMockDoubles.Start("127.0.0.1")));

    /// <summary>Serves the public keys at <paramref name="path"/> (replacing what was there); returns its URL.</summary>
    public string Publish(string path, params ClientKey[] keys)
    {
        var body = new JsonObject { ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.PublicJwk.DeepClone()).ToArray()) }.ToJsonString();
        _server.Given(Request.Create().WithPath(path).UsingGet())
            .WithGuid(WireMockDoubles.GuidOf(path)) // the same mapping each time: a key rotation replaces the set
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
        return new Uri(BaseUrl, path).AbsoluteUri;
    }

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}
