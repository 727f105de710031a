using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Cards;

/// <summary>
/// What suggestions need from the hook call: the patient the resources are for, and the chart's resources, found by
/// local reference (<c>MedicationRequest/42</c>) so a suggestion can copy an order's coding exactly. The lookup is built
/// only when a suggestion asks (a relapse card), not on every call.
/// </summary>
public sealed class CardContext(string patientId, IReadOnlyList<Resource>? resources = null)
{
    private Dictionary<string, Resource>? _byReference;

    public string PatientId { get; } = patientId;

    public string PatientReference => $"Patient/{PatientId}";

    public Resource? Find(string localReference)
    {
        _byReference ??= (resources ?? []).Where(r => r.Id is not null)
            .GroupBy(r => r.LocalReference, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _byReference.GetValueOrDefault(localReference);
    }
}
