using CmlCds.Api;

if (args is ["analytics", .. var rest])
    return await AnalyticsCommand.RunAsync(rest, Console.Out, Console.Error);

var app = CmlCdsApp.Create(args);
app.Run();
return 0;
