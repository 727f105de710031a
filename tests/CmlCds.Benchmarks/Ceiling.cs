namespace CmlCds.Benchmarks;

/// <summary>
/// The ceiling: the same Kestrel, the same route, reading the same body fully and answering a fixed body of the same size
/// as the service's answer, and nothing else. What the HTTP stack alone costs on this machine.
/// </summary>
public static class Ceiling
{
    public static async Task RunAsync(string[] args)
    {
        var responseFile = args[Array.IndexOf(args, "--response") + 1];
        var response = await File.ReadAllBytesAsync(responseFile);
        var builder = WebApplication.CreateSlimBuilder(args.Where((_, i) => i < Array.IndexOf(args, "--response") || i > Array.IndexOf(args, "--response") + 1).ToArray());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/cds-services/cml-monitoring", async (HttpContext http) =>
        {
            var buffer = new byte[16 * 1024];
            while (await http.Request.Body.ReadAsync(buffer) > 0) { }
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = response.Length;
            await http.Response.Body.WriteAsync(response);
        });
        await app.RunAsync();
    }
}
