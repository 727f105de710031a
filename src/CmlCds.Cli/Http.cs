using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CmlCds.Cli;

/// <summary>HTTP calls of the CLI: a server that cannot be reached or answers an error becomes one line saying which and what to check.</summary>
internal static class Http
{
    public static HttpClient Client(string? bearer)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    /// <param name="what">"the FHIR server (--fhir)", "the CDS service (--service)"...</param>
    public static async Task<HttpResponseMessage> SendAsync(string what, Uri url, Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach {what} at {url.GetLeftPart(UriPartial.Authority)} ({Reason(e)}); is it running, and is the URL right?");
        }
        catch (TaskCanceledException)
        {
            throw new CliException($"{what} at {url.GetLeftPart(UriPartial.Authority)} did not answer within a minute.");
        }
    }

    /// <summary>"HTTP 412 Required data unavailable: detail" from a ProblemDetails or OperationOutcome body, else its status.</summary>
    public static string Failure(HttpResponseMessage response, string body)
    {
        var text = $"HTTP {(int)response.StatusCode}";
        try
        {
            if (JsonNode.Parse(body) is JsonObject o)
            {
                var title = (string?)o["title"];
                var detail = (string?)o["detail"] ?? (string?)o["issue"]?[0]?["diagnostics"] ?? (string?)o["issue"]?[0]?["details"]?["text"];
                if (title is not null) text += $" {title}";
                if (detail is not null) text += $": {detail}";
            }
        }
        catch (JsonException)
        {
            // not JSON: the status is all there is to say
        }
        return text;
    }

    private static string Reason(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => "connection refused or host unreachable",
        HttpRequestError.NameResolutionError => "unknown host name",
        HttpRequestError.SecureConnectionError => "TLS failed",
        _ => e.Message,
    };
}
