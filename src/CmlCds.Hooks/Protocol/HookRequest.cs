using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmlCds.Hooks.Protocol;

/// <summary>A CDS Hooks 2.0 service request (§HTTP Request). Unknown members are tolerated.</summary>
public sealed class HookRequest
{
    public string? Hook { get; set; }
    public string? HookInstance { get; set; }
    public string? FhirServer { get; set; }
    public FhirAuthorization? FhirAuthorization { get; set; }

    /// <summary>Hook context; for patient-view: <c>userId</c>, <c>patientId</c>, optional <c>encounterId</c>.</summary>
    public Dictionary<string, JsonElement>? Context { get; set; }

    /// <summary>Prefetch keys as sent: a key absent is not in the dictionary; a key sent as <c>null</c> is present with no resource.</summary>
    public Prefetch? Prefetch { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }

    /// <summary>A root-level context field with a primitive value, as text (CDS Hooks: only these are prefetch tokens).</summary>
    public string? ContextValue(string name)
    {
        if (Context is null || !Context.TryGetValue(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => ReadString(value, name),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>JSON can escape a lone UTF-16 surrogate (<c>"\ud800"</c>), which is no text: refused as the request's fault.</summary>
    private static string ReadString(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new Service.InvalidHookRequestException($"Invalid context.{name}", $"'context.{name}' is not valid Unicode text (it holds a lone surrogate).");
        }
    }
}

/// <summary>The bearer token a CDS client grants for its FHIR server. Never logged.</summary>
public sealed class FhirAuthorization
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("token_type")] public string? TokenType { get; set; }
    [JsonPropertyName("expires_in")] public int? ExpiresIn { get; set; }
    public string? Scope { get; set; }
    public string? Subject { get; set; }
    public string? Patient { get; set; }

    public override string ToString() => "FhirAuthorization { AccessToken = *** }";
}
