using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;

namespace CmlCds.Fhir.Client;

/// <summary>
/// A FHIR R4 REST client for the service's own reads and searches: <c>Accept: application/fhir+json</c>, a bearer token
/// only when one is given, gzip (set on the handler), <c>link[rel=next]</c> followed to the end within
/// <see cref="FhirClientLimits"/>, next links kept on the server's own origin and under its base path, redirects never
/// followed (the handler must have <c>AllowAutoRedirect = false</c>; a 3xx is an error), and one retry of an idempotent GET on
/// a connection failure or a 503 (after a short random pause). Every failure comes back as
/// <see cref="FhirQueryOutcome.Error"/>, never as an exception, except cancellation by the caller.
/// </summary>
public sealed class FhirClient(HttpClient http, TimeProvider clock)
{
    public static readonly MediaTypeWithQualityHeaderValue FhirJsonMediaType = new("application/fhir+json");

    /// <summary>Runs a read or search relative to <paramref name="baseUrl"/>, or an absolute next-page URL, and follows its pages.</summary>
    public async Task<FhirQueryOutcome> QueryAsync(Uri baseUrl, string queryOrUrl, string? bearerToken, FhirClientLimits limits, CancellationToken cancellationToken)
    {
        var resources = new List<Resource>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var requests = 0;
        if (!TryResolve(baseUrl, queryOrUrl, out var url))
            return new FhirQueryOutcome([], "the next link points outside the FHIR server");

        for (var page = 0; ; page++)
        {
            if (page >= limits.MaxPages)
                return new FhirQueryOutcome(resources, null, Truncated: true, requests, page);
            if (!visited.Add(url.AbsoluteUri))
                return new FhirQueryOutcome(resources, $"the server's next links loop back to page {visited.Count}", false, requests, page);

            var (resource, error, _, tries) = await GetAsync(url, bearerToken, limits, limits.MaxResources - resources.Count, cancellationToken).ConfigureAwait(false);
            requests += tries;
            if (error is not null)
                return new FhirQueryOutcome(resources, error, false, requests, page);
            if (resource is null) // 404 on a read: nothing there
                return new FhirQueryOutcome(resources, null, false, requests, page);
            if (resource is OperationOutcome)
                return new FhirQueryOutcome(resources, "the FHIR server answered with an OperationOutcome", false, requests, page);
            if (resource is not Bundle bundle)
            {
                resources.Add(resource);
                return new FhirQueryOutcome(resources, null, false, requests, page + 1);
            }
            resources.AddRange(bundle.Resources());
            if (bundle.NextLink is not { } next)
                return new FhirQueryOutcome(resources, null, false, requests, page + 1);
            if (!TryResolve(baseUrl, next, out url))
                return new FhirQueryOutcome(resources, "the next link points outside the FHIR server", false, requests, page + 1);
        }
    }

    private async Task<(Resource? Resource, string? Error, HttpStatusCode Status, int Tries)> GetAsync(
        Uri url, string? bearerToken, FhirClientLimits limits, int maxEntries, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(FhirJsonMediaType);
            if (bearerToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt == 1 && await PauseBeforeRetryAsync(cancellationToken).ConfigureAwait(false)) continue;
                return (null, $"cannot connect to the FHIR server ({e.HttpRequestError})", default, attempt);
            }

            using (response)
            {
                var status = response.StatusCode;
                if (status == HttpStatusCode.ServiceUnavailable && attempt == 1 && await PauseBeforeRetryAsync(cancellationToken).ConfigureAwait(false))
                    continue;
                if (status == HttpStatusCode.NotFound) return (null, null, status, attempt);
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    return (null, $"the FHIR server refused access (HTTP {(int)status})", status, attempt);
                if ((int)status is >= 300 and < 400)
                    return (null, $"the FHIR server answered a redirect (HTTP {(int)status}), which is not followed", status, attempt);
                if (!response.IsSuccessStatusCode)
                    return (null, $"the FHIR server answered HTTP {(int)status}", status, attempt);
                if (response.Content.Headers.ContentLength > limits.MaxResponseBytes)
                    return (null, $"a page of {response.Content.Headers.ContentLength} bytes is over the {limits.MaxResponseBytes}-byte limit", status, attempt);
                try
                {
                    return (await ReadPageAsync(response, limits, maxEntries, cancellationToken).ConfigureAwait(false), null, status, attempt);
                }
                catch (LimitedStream.LimitExceededException)
                {
                    return (null, $"a page is over the {limits.MaxResponseBytes}-byte limit", status, attempt);
                }
                catch (ReadBudget.ExceededException e)
                {
                    return (null, e.Message, status, attempt);
                }
                catch (StreamingResourceReader.LimitExceededException e) when (e.Entries)
                {
                    return (null, $"the FHIR server sent more than {limits.MaxResources} resources for one query", status, attempt);
                }
                catch (StreamingResourceReader.LimitExceededException e)
                {
                    return (null, e.Message, status, attempt);
                }
                catch (JsonException)
                {
                    return (null, "the FHIR server sent JSON that is not a FHIR resource", status, attempt);
                }
            }
        }
    }

    /// <summary>
    /// Streams the page into the model entry by entry (<see cref="StreamingResourceReader"/>): the page's bytes are never
    /// held whole, each entry's are garbage once it is parsed, and a page with more entries than the query may still
    /// return stops at the first one too many. Not the serializer's own streaming read, which for a resource read by a
    /// custom converter buffers the whole page in arrays rented from the shared pool and keeps them long after the call.
    /// </summary>
    private static async Task<Resource> ReadPageAsync(HttpResponseMessage response, FhirClientLimits limits, int maxEntries, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var limited = new LimitedStream(body, limits.MaxResponseBytes, limits.Budget);
        var resource = await StreamingResourceReader.ReadAsync(limited,
            new StreamingReadLimits(limits.MaxResponseBytes, Math.Max(0, maxEntries), limits.ResourceBudget), cancellationToken).ConfigureAwait(false);
        if (resource is not Bundle) limits.ResourceBudget?.Take(1);
        return resource;
    }

    /// <summary>50–150 ms, random, so that many hook calls retrying at once do not retry in step.</summary>
    private async Task<bool> PauseBeforeRetryAsync(CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(50 + Random.Shared.Next(100));
        try
        {
            await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// A relative query against the base, or an absolute URL, accepted only when it stays on the base's own origin
    /// (scheme, host, port, no user info) and under its path at a segment boundary, after dot segments are resolved:
    /// <c>../escaped</c>, <c>/admin/secret</c> and <c>http://other-host/...</c> are all outside.
    /// </summary>
    public static bool TryResolve(Uri baseUrl, string queryOrUrl, out Uri url)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        if (queryOrUrl.StartsWith("//", StringComparison.Ordinal))
        {
            url = root; // a network-path reference names another host
            return false;
        }
        // "/Observation?..." reads as an absolute file path on Unix; it is a query relative to the base here.
        if (!queryOrUrl.StartsWith('/') && Uri.TryCreate(queryOrUrl, UriKind.Absolute, out var absolute))
        {
            url = absolute;
            return absolute.Scheme is "http" or "https" && IsUnder(root, absolute);
        }
        // Relative: resolved against the base (dot segments included), then checked like an absolute link.
        if (!Uri.TryCreate(root, queryOrUrl.TrimStart('/'), out url!))
            return false; // not a URL at all (e.g. "http://[::1"): treated as outside the server
        return IsUnder(root, url);
    }

    /// <summary>Same scheme, host and port, no user info, and the path equal to the root's or below it.</summary>
    public static bool IsUnder(Uri root, Uri url) =>
        string.IsNullOrEmpty(url.UserInfo)
        && string.Equals(url.Scheme, root.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.IdnHost, root.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == root.Port
        && (url.AbsolutePath.StartsWith(root.AbsolutePath, StringComparison.Ordinal) || url.AbsolutePath + "/" == root.AbsolutePath);
}
