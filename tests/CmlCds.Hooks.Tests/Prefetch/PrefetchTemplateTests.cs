using System.Text.Json;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;
using CmlCds.Hooks.Service;

namespace CmlCds.Hooks.Tests.Prefetch;

/// <summary>Prefetch tokens (CDS Hooks 2.0 §Prefetch tokens; requirements 55, 56, 57, 59).</summary>
public class PrefetchTemplateTests
{
    private static HookRequest Request(string context) =>
        JsonSerializer.Deserialize($$"""{"hook":"patient-view","hookInstance":"h","context":{{context}} }""", CdsHooksJson.HookRequest)!;

    [Fact]
    public void Req55_59_context_token_is_replaced() =>
        Assert.Equal("Patient/123", PrefetchTemplate.Fill("Patient/{{context.patientId}}", Request("""{"patientId":"123"}""")));

    [Fact]
    public void Req56_user_practitioner_id_comes_from_userId() =>
        Assert.Equal("PractitionerRole?practitioner=77",
            PrefetchTemplate.Fill("PractitionerRole?practitioner={{userPractitionerId}}", Request("""{"patientId":"1","userId":"Practitioner/77"}""")));

    [Fact]
    public void Req56_user_token_of_another_type_has_no_value() =>
        Assert.Null(PrefetchTemplate.Fill("Patient/{{userPatientId}}", Request("""{"patientId":"1","userId":"Practitioner/77"}""")));

    [Fact]
    public void Req57_non_primitive_context_fields_are_not_tokens() =>
        Assert.Null(PrefetchTemplate.Fill("x={{context.draftOrders}}", Request("""{"patientId":"1","draftOrders":{"resourceType":"Bundle"}}""")));

    [Fact]
    public void Token_values_are_escaped_for_the_query() =>
        Assert.Equal("Observation?patient=a%26b", PrefetchTemplate.Fill("Observation?patient={{context.patientId}}", Request("""{"patientId":"a&b"}""")));

    [Fact]
    public void Req36_55_56_every_declared_template_uses_only_valid_tokens()
    {
        foreach (var key in CmlMonitoringService.PrefetchKeys)
        {
            var tokens = PrefetchTemplate.Tokens(key.Template).ToList();
            Assert.NotEmpty(tokens);
            Assert.All(tokens, t => Assert.True(PrefetchTemplate.IsValidToken(t), $"{key.Key}: {t}"));
        }
    }

    [Fact]
    public void Req58_templates_use_the_recommended_query_subset()
    {
        string[] allowed = ["patient", "code", "_sort", "_count"];
        foreach (var key in CmlMonitoringService.PrefetchKeys)
        {
            var q = key.Template.IndexOf('?', StringComparison.Ordinal);
            if (q < 0) continue;
            var names = key.Template[(q + 1)..].Split('&').Select(p => p.Split('=')[0]);
            Assert.All(names, n => Assert.Contains(n, allowed));
        }
    }
}
