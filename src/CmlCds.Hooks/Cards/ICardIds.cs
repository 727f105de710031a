namespace CmlCds.Hooks.Cards;

/// <summary>Issues card and suggestion uuids. Random in production; fixed in golden tests.</summary>
public interface ICardIds
{
    string NewUuid();
}

public sealed class RandomCardIds : ICardIds
{
    public string NewUuid() => Guid.NewGuid().ToString();
}
