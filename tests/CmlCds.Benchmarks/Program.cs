using CmlCds.Benchmarks;

// dotnet run -c Release --project tests/CmlCds.Benchmarks -- all [--seconds 10] [--no-micro]   (writes BENCHMARKS.md)
// Other commands: requests (write the request files), micro (BenchmarkDotNet only), ceiling (the ceiling server, internal),
// jwt (BenchmarkDotNet: the JWT path against the signature), production [--seconds N] [--env NAME=VALUE ...]
// (Production-mode load rows beside open mode and the ceiling, printed, BENCHMARKS.md not written), memory [--requests N]
// [--env NAME=VALUE ...] (the working-set section as deployed, printed); --env NAME=VALUE changes one variable of the
// deployed environment, --env NAME= leaves it out,
// fhir-libraries (the project's FHIR reader and validator beside Firely's, and Firely's start-up; prints markdown).
return args switch
{
    ["ceiling", .. var rest] => await RunCeiling(rest),
    ["requests", ..] => Suite.WriteRequests(Suite.ArtifactsDirectory()),
    ["micro", ..] => Suite.Micro(Suite.ArtifactsDirectory()).Length > 0 ? 0 : 1,
    ["jwt-check", ..] => JwtBenchmarks.Check(),
    ["jwt", ..] => Suite.MicroJwt(Suite.ArtifactsDirectory()).Length > 0 ? 0 : 1,
    ["production", .. var rest] => await Suite.ProductionOnlyAsync(rest),
    ["memory", .. var rest] => await Suite.MemoryOnlyAsync(rest),
    ["fhir-libraries", ..] => FhirLibraries.Print(Suite.ArtifactsDirectory()),
    ["all", .. var rest] => await Suite.AllAsync(rest),
    _ => Usage(),
};

static async Task<int> RunCeiling(string[] args)
{
    await Ceiling.RunAsync(args);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: CmlCds.Benchmarks all [--seconds N] | requests | micro | fhir-libraries");
    return 2;
}
