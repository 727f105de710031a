using System.Security.Cryptography;
using System.Text;

namespace CmlCds.Api.Storage;

/// <summary>
/// The pseudonymous key of a patient in logs and audit: HMAC-SHA256 of the patient id with a configured secret
/// (<c>Audit:PatientKeySecret</c>), never the raw id. Without the secret the keys cannot be recomputed from the ids,
/// so a stolen log or database does not name anyone.
/// </summary>
public sealed class PatientKeys(byte[] secret)
{
    public const string SecretKey = "Audit:PatientKeySecret";

    public string For(string? patientId) =>
        patientId is null ? "-" : Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(patientId)).AsSpan(0, 16));

    /// <summary>The configured secret; in Development without one, a random secret for this process (keys then change at restart).</summary>
    public static PatientKeys FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var secret = configuration[SecretKey];
        if (!string.IsNullOrEmpty(secret)) return new PatientKeys(Encoding.UTF8.GetBytes(secret));
        if (environment.IsDevelopment()) return new PatientKeys(RandomNumberGenerator.GetBytes(32));
        throw new StartupRefusedException($"{SecretKey} is not configured: the audit's patient keys need a secret outside Development. Set it (e.g. environment Audit__PatientKeySecret) to a long random value kept secret.");
    }
}
