using System.Net;
using CmlCds.Clinical.Evaluation;
using CmlCds.Fhir.Client;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Service;
using Microsoft.Extensions.Options;

namespace CmlCds.Api.Extensions;

public static class ServiceExtensions
{
    public const string FhirClientName = "fhir";

    /// <summary>Options bound by section name and validated at start-up: a bad value stops the service before it answers.</summary>
    public static void AddCmlCdsOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClinicalOptions>()
            .Bind(builder.Configuration.GetSection(ClinicalOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ClinicalOptions>>().Value.ToSettings());
        builder.Services.AddOptions<FhirServerOptions>()
            .Bind(builder.Configuration.GetSection(FhirServerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    public static void AddCdsHooksServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier);
        builder.Services.AddSingleton(ClinicDate.Clock(builder.Configuration, builder.Environment));
        builder.Services.AddSingleton<ICardIds, RandomCardIds>();
        builder.Services.AddHttpClient(FhirClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                // A redirect could send the patient's queries (and the bearer token) to a server nobody allowed.
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan) // the hook's deadline cancels instead
            .RemoveAllLoggers(); // its request logs would carry FHIR query URLs, which hold the patient id
        builder.Services.AddSingleton<IFhirQueryRunner>(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            var clock = sp.GetRequiredService<TimeProvider>();
            var fhir = sp.GetRequiredService<IOptions<FhirServerOptions>>().Value;
            return new Telemetry.InstrumentedFhirQueryRunner(
                new FhirServerQueryRunner(() => new FhirClient(factory.CreateClient(FhirClientName), clock), fhir.Limits, fhir.MaxBytesPerCall, fhir.MaxBytesInFlight, fhir.MaxResourcesPerCall));
        });
        builder.Services.AddSingleton(sp => new PrefetchResolver(sp.GetService<IFhirQueryRunner>()));
        builder.Services.AddSingleton<CardRenderer>();
        builder.Services.AddSingleton(sp => new HookHandler(
            sp.GetRequiredService<PrefetchResolver>(), sp.GetRequiredService<CardRenderer>(), sp.GetRequiredService<EvaluationSettings>(),
            sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<FhirServerOptions>>().Value.DeadlineMs)));
    }
}
