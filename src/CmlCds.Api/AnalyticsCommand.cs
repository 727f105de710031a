using CmlCds.Api.Apis;
using CmlCds.Api.Storage;

namespace CmlCds.Api;

/// <summary>
/// <c>dotnet run --project src/CmlCds.Api -- analytics [--from YYYY-MM-DD] [--to YYYY-MM-DD]</c>: the admin analytics as a
/// table, read from the configured database (the same configuration as the service).
/// </summary>
public static class AnalyticsCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (!AdminApi.TryRange(builder.Configuration["from"], builder.Configuration["to"], TimeProvider.System, out var from, out var to, out var error))
        {
            await errors.WriteLineAsync(error);
            return 2;
        }
        var database = Database.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        await Migrations.ApplyAsync(database);
        var report = await new Analytics(database).ReportAsync(from, to);
        await output.WriteAsync(Analytics.Table(report));
        return 0;
    }
}
