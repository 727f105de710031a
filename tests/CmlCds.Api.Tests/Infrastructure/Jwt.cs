using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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

/// <summary>Serves JWK Sets on 127.0.0.1 and counts the fetches.</summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, List<JsonObject>> _sets = new(StringComparer.Ordinal);
    public Uri BaseUrl { get; private set; } = null!;
    public int Fetches;

    private JwksServer(WebApplication app) => _app = app;

    public static async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new JwksServer(app);
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref server.Fetches);
            string? body = null;
            lock (server._sets)
            {
                if (server._sets.TryGetValue(ctx.Request.Path.Value!, out var keys))
                    body = new JsonObject { ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.DeepClone()).ToArray()) }.ToJsonString();
            }
            if (body is null) { ctx.Response.StatusCode = 404; return; }
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(body);
        });
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public string Publish(string path, params ClientKey[] keys)
    {
        lock (_sets) _sets[path] = keys.Select(k => k.PublicJwk).ToList();
        return new Uri(BaseUrl, path).AbsoluteUri;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
