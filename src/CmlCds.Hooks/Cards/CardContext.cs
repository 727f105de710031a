namespace CmlCds.Hooks.Cards;

/// <summary>What suggestions need from the hook call: the patient the resources are for.</summary>
public sealed record CardContext(string PatientId)
{
    public string PatientReference => $"Patient/{PatientId}";
}
