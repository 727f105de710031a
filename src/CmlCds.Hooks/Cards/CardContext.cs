using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Cards;

/// <summary>
/// What suggestions need from the hook call: the patient the resources are for, and the chart's resources by local
/// reference (<c>MedicationRequest/42</c>), so a suggestion can copy an order's coding exactly.
/// </summary>
public sealed record CardContext(string PatientId, IReadOnlyDictionary<string, Resource>? Resources = null)
{
    public string PatientReference => $"Patient/{PatientId}";

    public Resource? Find(string localReference) =>
        Resources is not null && Resources.TryGetValue(localReference, out var r) ? r : null;
}
