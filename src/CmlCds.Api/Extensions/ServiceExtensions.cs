using CmlCds.Clinical.Evaluation;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Service;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Extensions;

public static class ServiceExtensions
{
    /// <summary>Options bound by section name and validated at start-up: a bad value stops the service before it answers.</summary>
    public static void AddCmlCdsOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClinicalOptions>()
            .Bind(builder.Configuration.GetSection(ClinicalOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ClinicalOptions>>().Value.ToSettings());
    }

    public static void AddCdsHooksServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ICardIds, RandomCardIds>();
        builder.Services.AddSingleton(sp => new PrefetchResolver(sp.GetService<IFhirQueryRunner>()));
        builder.Services.AddSingleton<CardRenderer>();
        builder.Services.AddSingleton<HookHandler>();
    }

    /// <summary>
    /// Browser-based CDS clients (the CDS Hooks sandbox) need CORS (CDS Hooks 2.0 §CORS). Open to any origin for now;
    /// the security issue restricts it to configured origins.
    /// </summary>
    public static void AddCdsCors(this WebApplicationBuilder builder) =>
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()));
}
