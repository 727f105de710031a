using CmlCds.Api.Apis;
using CmlCds.Api.Extensions;
using CmlCds.Api.Health;
using CmlCds.Api.Security;
using CmlCds.Api.Storage;
using CmlCds.Api.Telemetry;
using CmlCds.Hooks.Mapping;

namespace CmlCds.Api;

/// <summary>Builds the service: the table of contents of the host. Tests call <see cref="Create"/> with their own services.</summary>
public static class CmlCdsApp
{
    /// <summary>Where <c>dotnet run --project src/CmlCds.Api</c> listens when no URL is configured (DESIGN.md).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls(DefaultUrl);

        var trust = builder.ReadTrust();
        builder.AddCmlCdsOptions();
        builder.AddCdsHooksServices();
        builder.AddCdsAuthentication(trust);
        builder.AddCdsLimits();
        builder.AddCdsCors(trust);
        builder.AddCmlCdsStorage();
        builder.AddCmlCdsHealth();
        builder.AddCmlCdsTelemetry();
        builder.AddChart(trust);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Every ValidateOnStart option checked now, before the host starts (and would log the failure with a stack trace).
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        // The profiles and the ValueSets the mapping reads its codes from: loaded now, so that a broken package
        // stops start-up instead of the first hook call.
        app.Logger.LogInformation("Conformance package: {Profiles} profiles, {ValueSets} ValueSets, {Tkis} TKI codes",
            CmlProfiles.Package.Profiles.Count, CmlProfiles.Package.ValueSets.Count, Codes.TkiByAtc.Count + Codes.TkiByRxNorm.Count);
        app.WarnIfOpen(trust);
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseRateLimiter(); // before authentication: a refused caller costs no signature check
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCdsHooks();
        app.MapAdmin(app.Configuration);
        app.MapHealth();
        app.MapChart(trust);
        return app;
    }
}
