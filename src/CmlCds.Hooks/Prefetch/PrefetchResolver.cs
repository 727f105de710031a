using System.Diagnostics;
using CmlCds.Clinical.Patients;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;

namespace CmlCds.Hooks.Prefetch;

/// <summary>What the service could learn from one prefetch key.</summary>
public enum KeyState { Provided, KnownEmpty, NotProvided, OperationOutcome }

/// <summary>Runs FHIR queries against the request's <c>fhirServer</c>. Null result: the query could not be run.</summary>
public interface IFhirQueryRunner
{
    /// <summary>Runs <paramref name="query"/> (relative to fhirServer), following next links; or says why it could not.</summary>
    Task<FhirQueryResult> RunAsync(HookRequest request, string query, CancellationToken cancellationToken);

    /// <summary>Fetches the remaining pages of a prefetched Bundle, from its next link.</summary>
    Task<FhirQueryResult> ContinueAsync(HookRequest request, string nextUrl, CancellationToken cancellationToken);

    /// <summary>Opens the byte budget of one hook call, for all its queries; disposing it (the call is over) gives the bytes back.</summary>
    IDisposable BeginCall(HookRequest request) => NoBudget.Instance;
}

/// <summary>The call scope of a runner that keeps no budget.</summary>
public sealed class NoBudget : IDisposable
{
    public static readonly NoBudget Instance = new();
    public void Dispose() { }
}

/// <summary>The resources a query returned, or the reason it failed (<see cref="Error"/> not null).</summary>
/// <param name="Incomplete">Set when the data came back but not all of it (page cap): a reason for a data-quality note.</param>
/// <param name="Pages">Pages read from the FHIR server.</param>
public sealed record FhirQueryResult(IReadOnlyList<Resource> Resources, string? Error, string? Incomplete = null, int Pages = 0)
{
    public static FhirQueryResult Failed(string error) => new([], error);
}

/// <summary>Data for one hook call: every resource gathered, what could not be had, and where each key's data came from.</summary>
/// <param name="UnreadKeys">Optional keys that could not be had, or not in full (first page only, page cap): passed to the
/// mapping so that the cards never read them as "none on file".</param>
public sealed record ResolvedData(IReadOnlyList<Resource> Resources, IReadOnlyList<DataQualityNote> Notes, IReadOnlyList<KeySource> Sources,
    IReadOnlyList<string>? UnreadKeys = null);

/// <summary>
/// Where one prefetch key's data came from, for the log (counts only, no PHI): <see cref="Source"/> is
/// <c>prefetch</c>, <c>prefetch+fetched</c> (a paged prefetch whose further pages the service read), <c>fetched</c>
/// (queried on fhirServer), <c>null</c> (the client found none) or <c>missing</c> (could not be had).
/// </summary>
/// <param name="Pages">Pages read from the FHIR server (0 when nothing was fetched).</param>
/// <param name="Milliseconds">Time spent fetching it (0 when nothing was fetched).</param>
public sealed record KeySource(string Key, string Source, int Entries, int Pages, double Milliseconds);

/// <summary>
/// Which FHIR servers the calling client may have the service query: <see cref="Any"/> (open Development mode) or the
/// servers configured for its issuer. A <c>fhirServer</c> must be an absolute http(s) URL without query, fragment or
/// user info; it is allowed when its scheme, host and port equal an allowed server's (case-insensitively, default
/// ports made explicit) and its path, dot segments resolved, is that server's path or lies under it at a segment
/// boundary (<c>/fhir</c> allows <c>/fhir/tenant-1</c>, not <c>/fhirx</c>).
/// </summary>
public sealed class FhirServerPolicy
{
    private readonly IReadOnlyList<Uri>? _allowed;
    private FhirServerPolicy(IReadOnlyList<Uri>? allowed) => _allowed = allowed;

    public static readonly FhirServerPolicy Any = new(null);
    public static FhirServerPolicy Only(IEnumerable<string> servers) => new(servers.Select(Normalised).OfType<Uri>().ToList());

    public bool IsOpen => _allowed is null;

    public bool Allows(string fhirServer) =>
        Normalised(fhirServer) is { } url && (_allowed is null || _allowed.Any(a => Fhir.Client.FhirClient.IsUnder(a, url)));

    /// <summary>The URL with a trailing slash, or null when it is no plain http(s) base URL.</summary>
    private static Uri? Normalised(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")) return null;
        if (url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0 || text.Contains('?') || text.Contains('#')) return null;
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}

/// <summary>The request names a FHIR server the calling client may not have queried (→ 412, nothing sent to it).</summary>
public sealed class FhirServerNotAllowedException(string fhirServer)
    : Exception($"fhirServer '{fhirServer}' is not allowed for this CDS client; no request was sent to it.");

/// <summary>Required prefetch data could not be had: CDS Hooks 2.0 says 412.</summary>
public sealed class PrefetchUnavailableException(IReadOnlyList<string> keys, IReadOnlyList<string> missing, IReadOnlyList<KeySource>? sources = null)
    : Exception($"Required data is missing and could not be fetched: {string.Join(", ", keys)}.")
{
    /// <summary>Where each key's data came from, or did not (for the log).</summary>
    public IReadOnlyList<KeySource> Sources { get; } = sources ?? [];

    /// <summary>The prefetch keys that could not be had.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
    /// <summary>One line per key: what it is for and why it could not be had.</summary>
    public IReadOnlyList<string> Missing { get; } = missing;
}

/// <summary>
/// CDS Hooks 2.0 prefetch semantics (DESIGN.md): a key holding a resource or a Bundle is used (a Bundle's next page is
/// fetched when a FHIR server can be queried); <c>null</c> is known-empty and never re-queried; a key that is absent or
/// holds an OperationOutcome is queried on <c>fhirServer</c> with the same template. Required data that cannot be had
/// raises <see cref="PrefetchUnavailableException"/> (→ 412); optional data becomes a data-quality note.
/// </summary>
public sealed class PrefetchResolver(IFhirQueryRunner? runner)
{
    /// <summary>The byte budget of one hook call's FHIR queries (see <see cref="IFhirQueryRunner.BeginCall"/>).</summary>
    public IDisposable BeginCall(HookRequest request) => runner?.BeginCall(request) ?? NoBudget.Instance;

    public Task<ResolvedData> ResolveAsync(HookRequest request, CancellationToken cancellationToken) =>
        ResolveAsync(request, FhirServerPolicy.Any, cancellationToken);

    /// <param name="policy">Checked before the first query; a server it does not allow is never contacted.</param>
    public async Task<ResolvedData> ResolveAsync(HookRequest request, FhirServerPolicy policy, CancellationToken cancellationToken)
    {
        var resources = new List<Resource>();
        var notes = new List<DataQualityNote>();
        var missing = new List<(string Key, string Reason)>();
        var pending = new List<(PrefetchKey Key, int Prefetched, Task<(FhirQueryResult Result, double Ms)> Query)>();
        var sources = new List<KeySource>();
        var unread = new List<string>();

        foreach (var key in CmlMonitoringService.PrefetchKeys)
        {
            var prefetch = request.Prefetch;
            Resource? value = null;
            var state = prefetch is null || !prefetch.TryGet(key.Key, out value) ? KeyState.NotProvided
                : value is null ? KeyState.KnownEmpty
                : value is OperationOutcome ? KeyState.OperationOutcome
                : KeyState.Provided;

            switch (state)
            {
                case KeyState.KnownEmpty:
                    sources.Add(new KeySource(key.Key, "null", 0, 0, 0));
                    break;
                case KeyState.Provided when value is Bundle { NextLink: { } next } bundle:
                    var first = bundle.Resources().ToList();
                    resources.AddRange(first);
                    if (runner is null || request.FhirServer is null)
                    {
                        notes.Add(new DataQualityNote(DataQualityCodes.DataUnavailable, null, null,
                            $"prefetch.{key.Key} has more pages, and no FHIR server was given to read them: only the first page was used.", SetAside: false));
                        unread.Add(key.Key);
                        sources.Add(new KeySource(key.Key, "prefetch", first.Count, 0, 0));
                    }
                    else
                    {
                        EnsureAllowed(request, policy);
                        pending.Add((key, first.Count, Timed(runner.ContinueAsync(request, next, cancellationToken))));
                    }
                    break;
                case KeyState.Provided:
                    var provided = value is Bundle b ? b.Resources().ToList() : [value!];
                    resources.AddRange(provided);
                    sources.Add(new KeySource(key.Key, "prefetch", provided.Count, 0, 0));
                    break;
                default:
                    var why = state == KeyState.OperationOutcome
                        ? $"the client sent an OperationOutcome ({Mapping.PatientHistoryMapper.OperationOutcomeText((OperationOutcome)value!)})"
                        : "not in the prefetch";
                    if (runner is null || request.FhirServer is null)
                    {
                        Unavailable(key, $"{why}, and no FHIR server that the service can query", missing, notes, unread);
                        sources.Add(new KeySource(key.Key, "missing", 0, 0, 0));
                        break;
                    }
                    if (PrefetchTemplate.Fill(key.Template, request) is not { } query)
                    {
                        Unavailable(key, $"{why}, and the request context cannot fill its template", missing, notes, unread);
                        sources.Add(new KeySource(key.Key, "missing", 0, 0, 0));
                        break;
                    }
                    EnsureAllowed(request, policy);
                    pending.Add((key, -1, Timed(runner.RunAsync(request, query, cancellationToken))));
                    break;
            }
        }

        foreach (var (key, prefetched, query) in pending)
        {
            var (result, ms) = await query.ConfigureAwait(false);
            if (result.Error is not null) Unavailable(key, result.Error, missing, notes, unread);
            else resources.AddRange(result.Resources);
            var source = result.Error is not null ? prefetched < 0 ? "missing" : "prefetch" : prefetched < 0 ? "fetched" : "prefetch+fetched";
            sources.Add(new KeySource(key.Key, source, Math.Max(prefetched, 0) + (result.Error is null ? result.Resources.Count : 0), result.Pages, ms));
            if (result.Incomplete is not null)
            {
                notes.Add(new DataQualityNote(DataQualityCodes.DataUnavailable, null, null, $"{key.Key}: {result.Incomplete}.", SetAside: false));
                unread.Add(key.Key);
            }
        }

        if (missing.Count > 0)
            throw new PrefetchUnavailableException(missing.Select(m => m.Key).ToList(), missing.Select(m => m.Reason).ToList(), sources);
        return new ResolvedData(resources, notes, sources, unread);
    }

    private static async Task<(FhirQueryResult, double)> Timed(Task<FhirQueryResult> query)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await query.ConfigureAwait(false);
        return (result, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private static void EnsureAllowed(HookRequest request, FhirServerPolicy policy)
    {
        if (!policy.Allows(request.FhirServer!)) throw new FhirServerNotAllowedException(request.FhirServer!);
    }

    private static void Unavailable(PrefetchKey key, string why, List<(string, string)> missing, List<DataQualityNote> notes, List<string> unread)
    {
        if (key.Required) { missing.Add((key.Key, $"{key.Key} ({key.Why}): {why}")); return; }
        unread.Add(key.Key);
        notes.Add(new DataQualityNote(DataQualityCodes.DataUnavailable, null, null, $"{key.Key} ({key.Why}) could not be read: {why}.", SetAside: false));
    }
}
