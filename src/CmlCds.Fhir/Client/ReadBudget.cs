namespace CmlCds.Fhir.Client;

/// <summary>
/// A bound on what is read from a FHIR server, in bytes or in resources: one per hook call (all its queries and pages
/// together), each drawing on one shared by all calls in flight where there is one. Units are taken as they are read
/// and given back to the shared budget when the call's budget is disposed (the call is over and what it read can be
/// collected). Thread-safe: a call's queries run in parallel.
/// </summary>
public sealed class ReadBudget(long limit, string exceeded, ReadBudget? shared = null) : IDisposable
{
    private long _used;

    public long Limit => limit;
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Takes <paramref name="units"/>, or throws <see cref="ExceededException"/> (taking nothing) when this budget or the shared one is spent.</summary>
    public void Take(long units)
    {
        if (Interlocked.Add(ref _used, units) > limit)
        {
            Interlocked.Add(ref _used, -units);
            throw new ExceededException(exceeded);
        }
        try
        {
            shared?.Take(units);
        }
        catch (ExceededException)
        {
            Interlocked.Add(ref _used, -units);
            throw;
        }
    }

    private void Release(long units) => Interlocked.Add(ref _used, -units);

    /// <summary>Gives everything taken back to the shared budget.</summary>
    public void Dispose() => shared?.Release(Interlocked.Exchange(ref _used, 0));

    /// <summary>A budget was spent; the message says which, without data.</summary>
    public sealed class ExceededException(string message) : IOException(message);
}
