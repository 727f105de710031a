namespace CmlCds.Fhir.Client;

/// <summary>
/// A bound on the FHIR-server bytes read: one per hook call (all its queries and pages together), each drawing on one
/// shared by all calls in flight. Bytes are taken as they are read and given back to the shared budget when the call's
/// budget is disposed (the call is over and what it read can be collected). Thread-safe: a call's queries run in parallel.
/// </summary>
public sealed class ByteBudget(long limit, string exceeded, ByteBudget? shared = null) : IDisposable
{
    private long _used;

    public long Limit => limit;
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Takes <paramref name="bytes"/>, or throws <see cref="ExceededException"/> (taking nothing) when this budget or the shared one is spent.</summary>
    public void Take(long bytes)
    {
        if (Interlocked.Add(ref _used, bytes) > limit)
        {
            Interlocked.Add(ref _used, -bytes);
            throw new ExceededException(exceeded);
        }
        try
        {
            shared?.Take(bytes);
        }
        catch (ExceededException)
        {
            Interlocked.Add(ref _used, -bytes);
            throw;
        }
    }

    private void Release(long bytes) => Interlocked.Add(ref _used, -bytes);

    /// <summary>Gives everything taken back to the shared budget.</summary>
    public void Dispose() => shared?.Release(Interlocked.Exchange(ref _used, 0));

    /// <summary>A budget was spent; the message says which, without data.</summary>
    public sealed class ExceededException(string message) : IOException(message);
}
