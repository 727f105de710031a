using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CmlCds.Api.Storage;
using CmlCds.Api.Tests.Infrastructure;

namespace CmlCds.Api.Tests;

/// <summary>
/// Issue 19: two service processes on one throwaway PostgreSQL database, as two instances behind a load balancer
/// (one public URL, so one JWT audience). A token used on one is refused on the other (CDS Hooks 2.0: jti is a
/// nonce; requirement 205), feedback posted to both is stored once, and the analytics of either sees the calls of both.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ScaleOutTests
{
    internal const string Issuer = "https://ehr.example.org";
    internal const string PublicBaseUrl = "https://cds.example.org";
    internal const string AdminKey = "scale-out-admin-key-0123456789";

    /// <summary>A trusted issuer whose JWK Set is a file written for the test; its settings for a service process.</summary>
    internal sealed class Client
    {
        public ClientKey Key { get; } = ClientKey.Es384("scale-out-es384");
        public string JwksFile { get; } = Path.Combine(Path.GetTempPath(), $"cmlcds-jwks-{Guid.NewGuid():N}.json");

        public Client() =>
            File.WriteAllText(JwksFile, new JsonObject { ["keys"] = new JsonArray(Key.PublicJwk.DeepClone()) }.ToJsonString());

        public string[] Settings =>
        [
            $"--CdsHooks:Auth:TrustedIssuers:0:Issuer={Issuer}",
            $"--CdsHooks:Auth:TrustedIssuers:0:JwksFile={JwksFile}",
            $"--CdsHooks:Auth:PublicBaseUrl={PublicBaseUrl}",
            $"--Admin:ApiKey={AdminKey}",
            "--Audit:PatientKeySecret=scale-out-secret",
        ];

        public string Token(string path = "/cds-services/cml-monitoring") =>
            Jwt.Sign(Key, Issuer, PublicBaseUrl + path, DateTime.UtcNow.AddMinutes(5));
    }

    internal static string HookRequest(string? hookInstance = null)
    {
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "cds-hooks", "eln-12m-failure", "request.json")))!.AsObject();
        if (hookInstance is not null) request["hookInstance"] = hookInstance;
        return request.ToJsonString();
    }

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, string body, string token)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(message);
    }

    private static string Feedback(string card, string at) =>
        $$"""{"feedback":[{"card":"{{card}}","outcome":"overridden","outcomeTimestamp":"{{at}}"}]}""";

    [PostgresFact]
    public async Task Two_instances_on_one_PostgreSQL_share_replay_protection_feedback_and_analytics()
    {
        var database = await (await PostgresCluster.GetAsync()).NewDatabaseAsync();
        var connectionString = database.ConnectionString;
        var client = new Client();
        var logsB = new ConcurrentQueue<string>();
        string[] Settings() => [$"--Storage:Provider=Postgres", $"--ConnectionStrings:CmlCds={connectionString}", "--Storage:AuditDurability=Synchronous", .. client.Settings];
        int portA = Ports.Free(), portB = Ports.Free();
        // Started together: the schema migration is taken by one, the other waits for it.
        var starting = new[] { DurabilityTests.StartProcess(portA, Settings()), DurabilityTests.StartProcess(portB, Settings(), output: logsB) };
        var processes = await Task.WhenAll(starting);
        try
        {
            using var a = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portA}"), Timeout = TimeSpan.FromSeconds(30) };
            using var b = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portB}"), Timeout = TimeSpan.FromSeconds(30) };

            // Replay: the token A accepted is refused by B; a fresh token is accepted by B.
            var token = client.Token();
            using var onA = await Post(a, "/cds-services/cml-monitoring", HookRequest(), token);
            Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
            using var replayedOnB = await Post(b, "/cds-services/cml-monitoring", HookRequest(), token);
            Assert.Equal(HttpStatusCode.Unauthorized, replayedOnB.StatusCode);
            Assert.Contains(logsB, l => l.Contains("jti replayed", StringComparison.Ordinal));
            using var onB = await Post(b, "/cds-services/cml-monitoring", HookRequest(), client.Token());
            Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
            using var replayedOnA = await Post(a, "/cds-services/cml-monitoring", HookRequest(), token);
            Assert.Equal(HttpStatusCode.Unauthorized, replayedOnA.StatusCode);

            // Feedback: the same item posted to A and to B is stored once.
            var cardsA = JsonNode.Parse(await onA.Content.ReadAsStringAsync())!["cards"]!.AsArray();
            var cardsB = JsonNode.Parse(await onB.Content.ReadAsStringAsync())!["cards"]!.AsArray();
            Assert.NotEmpty(cardsA);
            var itemOnA = Feedback((string)cardsA[0]!["uuid"]!, "2026-06-01T10:00:00Z");
            using (var first = await Post(a, "/cds-services/cml-monitoring/feedback", itemOnA, client.Token("/cds-services/cml-monitoring/feedback")))
                Assert.Equal("""{"received":1,"stored":1}""", await first.Content.ReadAsStringAsync());
            using (var again = await Post(b, "/cds-services/cml-monitoring/feedback", itemOnA, client.Token("/cds-services/cml-monitoring/feedback")))
                Assert.Equal("""{"received":1,"stored":0}""", await again.Content.ReadAsStringAsync());
            using (var other = await Post(b, "/cds-services/cml-monitoring/feedback", Feedback((string)cardsB[0]!["uuid"]!, "2026-06-01T10:05:00Z"), client.Token("/cds-services/cml-monitoring/feedback")))
                Assert.Equal("""{"received":1,"stored":1}""", await other.Content.ReadAsStringAsync());
            await using (var connection = await database.OpenAsync())
            await using (var count = Database.Command(connection, null, "SELECT COUNT(*) FROM feedback"))
                Assert.Equal(2L, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));

            // Analytics: either instance reports the calls of both (each rule's card shown twice, one override per card fed back).
            var reports = new List<string>();
            foreach (var http in new[] { a, b })
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, "/admin/analytics");
                get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
                using var response = await http.SendAsync(get);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                reports.Add(await response.Content.ReadAsStringAsync());
            }
            Assert.Equal(reports[0], reports[1]);
            var rows = JsonNode.Parse(reports[0])!["rows"]!.AsArray();
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(2, (int)r!["shown"]!));
            var topicA = (string)cardsA[0]!["source"]!["topic"]!["code"]!;
            Assert.Contains(rows, r => (string)r!["topic"]! == topicA && (int)r["overridden"]! == 2);
        }
        finally
        {
            foreach (var p in processes)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            File.Delete(client.JwksFile);
        }
    }

    [PostgresFact]
    public async Task PostgreSQL_replay_guard_refuses_a_live_jti_takes_over_an_expired_one_and_purges_expired_rows()
    {
        var database = await (await PostgresCluster.GetAsync()).NewDatabaseAsync();
        await Migrations.ApplyAsync(database);
        var clock = new MutableClock(DateTimeOffset.UtcNow);
        var guard = new PostgresReplayGuard(database, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresReplayGuard>.Instance);
        var expires = clock.Now.AddMinutes(5);
        Assert.True(await guard.TryRegisterAsync(Issuer, "j1", expires, default));
        Assert.False(await guard.TryRegisterAsync(Issuer, "j1", expires, default));
        Assert.True(await guard.TryRegisterAsync("https://other.example.org", "j1", expires, default)); // per issuer
        Assert.True(await guard.TryRegisterAsync(Issuer, "j2", clock.Now.AddMinutes(1), default));

        clock.Now = clock.Now.AddMinutes(2); // j2 has expired, j1 has not
        Assert.True(await guard.TryRegisterAsync(Issuer, "j2", clock.Now.AddMinutes(5), default));
        Assert.False(await guard.TryRegisterAsync(Issuer, "j1", expires, default));

        clock.Now = clock.Now.AddMinutes(10);
        Assert.Equal(3, await guard.PurgeAsync());
        Assert.Equal(0, await guard.PurgeAsync());
    }
}
