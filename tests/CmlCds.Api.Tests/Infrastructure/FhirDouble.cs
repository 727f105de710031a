using System.Text.Json.Nodes;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>
/// A FHIR server double (WireMock.Net) on a loopback address: it answers a scenario's prefetch data at exactly the
/// URLs the service's templates produce (so a wrong query is a 404), and a test adds faults with <see cref="On"/>,
/// which win over the answers.
/// </summary>
public sealed class FhirDouble : IAsyncDisposable
{
    private const int AnswerPriority = 100;
    private const int FaultPriority = 1;
    private readonly WireMockServer _server;
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);
    private TimeSpan? _delay;

    public Uri BaseUrl { get; }

    /// <summary>Every request so far: path and query relative to the server (unescaped, e.g. <c>fhir/Condition?patient=p</c>), and its Authorization header.</summary>
    public IReadOnlyList<(string PathAndQuery, string? Authorization)> Requests =>
        _server.LogEntries.OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => (PathAndQuery(e.RequestMessage.AbsoluteUrl),
                e.RequestMessage.Headers is { } headers && headers.TryGetValue("Authorization", out var authorization) ? authorization.FirstOrDefault() : null))
            .ToList();

    private FhirDouble(WireMockServer server)
    {
        _server = server;
        BaseUrl = new Uri(server.Url! + "/fhir/");
    }

    /// <param name="loopback">A loopback address; another one than 127.0.0.1 (e.g. 127.0.0.2) stands for another host.</param>
    public static Task<FhirDouble> StartAsync(string loopback = "127.0.0.1") => Task.FromResult(new FhirDouble(WireMockDoubles.Start(loopback)));

    /// <summary>Serves <paramref name="body"/> at a path and query relative to the base (unescaped), exactly.</summary>
    public void Answer(string pathAndQuery, string body)
    {
        var key = "fhir/" + pathAndQuery;
        _answers[key] = body;
        var response = Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(body);
        if (_delay is { } delay) response = response.WithDelay(delay);
        _server.Given(Request.Create().UsingGet().WithUrl(url => PathAndQuery(url) == key))
            .WithGuid(WireMockDoubles.GuidOf(key)).AtPriority(AnswerPriority).RespondWith(response);
    }

    /// <summary>Every answer (those given and those to come) after <paramref name="delay"/>.</summary>
    public void DelayAnswers(TimeSpan delay)
    {
        _delay = delay;
        foreach (var (key, body) in _answers.ToList()) Answer(key["fhir/".Length..], body);
    }

    /// <summary>
    /// A fault on the requests whose path ends with the resource part of <paramref name="resource"/> and whose query
    /// holds its query part (e.g. <c>/Condition</c>, <c>/Observation?code=http://loinc.org|55135-8</c>); give it its
    /// response with <c>RespondWith</c>.
    /// </summary>
    public IRespondWithAProvider On(string resource)
    {
        var path = resource.Split('?')[0];
        var query = resource.Contains('?') ? resource.Split('?')[1] : "";
        return _server.Given(Request.Create().UsingGet().WithPath(new WildcardMatcher("*" + path)).WithUrl(url => PathAndQuery(url).Contains(query, StringComparison.Ordinal)))
            .AtPriority(FaultPriority);
    }

    /// <summary>The first request for <paramref name="resource"/> gets <paramref name="first"/>, every later one <paramref name="then"/>.</summary>
    public void OnceThen(string resource, IResponseBuilder first, IResponseBuilder then)
    {
        var scenario = "once " + resource;
        On(resource).InScenario(scenario).WillSetStateTo("answered once").RespondWith(first);
        On(resource).InScenario(scenario).WhenStateIs("answered once").RespondWith(then);
    }

    public void ClearRequests() => _server.ResetLogEntries();

    /// <summary>Serves every prefetch key of a hook request at the URL its template gives; keys sent as null answer an empty searchset.</summary>
    public void ServePrefetchOf(JsonObject request, HookRequest parsed)
    {
        var prefetch = request["prefetch"]!.AsObject();
        foreach (var key in CmlMonitoringService.PrefetchKeys)
        {
            var query = Uri.UnescapeDataString(PrefetchTemplate.Fill(key.Template, parsed)!);
            var value = prefetch[key.Key];
            Answer(query, value?.ToJsonString() ?? """{"resourceType":"Bundle","type":"searchset","total":0}""");
        }
    }

    private static string PathAndQuery(string absoluteUrl)
    {
        var uri = new Uri(absoluteUrl);
        return Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/') + uri.Query);
    }

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}
