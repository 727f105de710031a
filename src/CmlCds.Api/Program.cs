using CmlCds.Api;

var app = CmlCdsApp.Create(args);
app.Run();
