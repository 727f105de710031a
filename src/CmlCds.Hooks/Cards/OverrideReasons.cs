using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

/// <summary>
/// Why a clinician may dismiss a warning or critical card (CDS Hooks 2.0 card.overrideReasons; every reason has a
/// display, requirement 100/136). CodeSystem: fhir-profiles/CodeSystem-override-reason.json.
/// </summary>
public static class OverrideReasons
{
    public const string System = Codes.CanonicalBase + "/CodeSystem/override-reason";

    public static readonly IReadOnlyList<CdsCoding> All =
    [
        new("already-addressed", System, "Already ordered or addressed"),
        new("patient-declined", System, "Patient declined"),
        new("managed-by-specialist", System, "Managed by the treating hematologist"),
        new("not-clinically-appropriate", System, "Not clinically appropriate for this patient"),
        new("data-incorrect", System, "The data on file is incorrect or incomplete"),
    ];
}
