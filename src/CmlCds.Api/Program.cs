using CmlCds.Api;

if (args is ["analytics", .. var rest])
    return await AnalyticsCommand.RunAsync(rest, Console.Out, Console.Error);

// For container health checks (the runtime image has no curl): exit 0 when the URL answers 200.
if (args is ["healthcheck", var url])
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
    try
    {
        using var response = await http.GetAsync(new Uri(url));
        return response.IsSuccessStatusCode ? 0 : 1;
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        return 1;
    }
}

try
{
    var app = CmlCdsApp.Create(args);
    // A port already in use: one line naming it and the way out, before Kestrel's own error and stack trace.
    if (ListenAddresses.FirstInUse(app.Configuration["urls"] ?? CmlCdsApp.DefaultUrl) is { } busy)
    {
        Console.Error.WriteLine($"Cannot listen on {busy}: the port is already in use by another program. Stop it, or choose another address with --urls, e.g. --urls http://localhost:5081");
        return 1;
    }
    app.Run();
    return 0;
}
catch (Exception e) when (StartupRefusedException.LineFor(e) is { } line)
{
    // A configuration the service will not run with: one line saying what to set, no stack trace.
    Console.Error.WriteLine(line);
    return StartupRefusedException.ExitCode;
}
