using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Cli;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Fhir.Client;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Json;
using CmlCds.Hooks.Prefetch;
using CmlCds.Hooks.Protocol;

// cmlcds evaluate <bundle.json> [--format table|json] [--today YYYY-MM-DD] [--guideline Eln2020|Nccn]
// cmlcds load --fhir <base> [--token T] [--shift-to-today] [--samples DIR]
// cmlcds hook --fhir <base> --patient <id> --service <url> [--prefetch] [--token T]
// cmlcds validate <file.json>... (exit 1 when any resource does not conform)
var bundle = new Argument<FileInfo>("bundle") { Description = "A FHIR Bundle (any type) or resource holding one patient's resources" };
var format = new Option<string>("--format") { Description = "table, or json: exactly the CDS Hooks response the service would return", DefaultValueFactory = _ => "table" };
format.AcceptOnlyFromAmong("table", "json");
var today = new Option<string?>("--today") { Description = "The clinic date, YYYY-MM-DD (default: today)" };
var guideline = new Option<Guideline>("--guideline") { Description = "Eln2020 (default) or Nccn", DefaultValueFactory = _ => Guideline.Eln2020 };
var evaluate = new Command("evaluate", "Print the cards for a patient bundle, offline") { bundle, format, today, guideline };
evaluate.SetAction((parse, _) =>
{
    var day = parse.GetValue(today) is { } t ? DateOnly.ParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture) : DateOnly.FromDateTime(DateTime.Now);
    var response = Offline.Evaluate(Offline.Resources(Offline.Read(parse.GetValue(bundle)!.FullName)), day,
        new EvaluationSettings { Guideline = parse.GetValue(guideline) }, new RandomCardIds());
    Console.Out.Write(parse.GetValue(format) == "json" ? JsonSerializer.Serialize(response, CdsHooksJson.Response) + "\n" : Printing.Table(response));
    return Task.FromResult(0);
});

var fhir = new Option<Uri>("--fhir") { Description = "FHIR server base URL", Required = true };
var token = new Option<string?>("--token") { Description = "Bearer token for the FHIR server" };
var shift = new Option<bool>("--shift-to-today") { Description = "Move every date so the samples' reference date (2026-06-01) becomes today" };
var samples = new Option<DirectoryInfo>("--samples") { Description = "Folder of sample transaction bundles", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(AppContext.BaseDirectory, "samples")) };
var load = new Command("load", "Post the sample patients to a FHIR server, one transaction per patient") { fhir, token, shift, samples };
load.SetAction((parse, cancellationToken) =>
    SampleLoader.LoadAsync(parse.GetValue(fhir)!, parse.GetValue(token), parse.GetValue(shift), parse.GetValue(samples)!, Console.Out, cancellationToken));

var patient = new Option<string>("--patient") { Description = "Patient id on the FHIR server", Required = true };
var service = new Option<Uri>("--service") { Description = "The CDS service URL, e.g. http://localhost:5080/cds-services/cml-monitoring", Required = true };
var prefetch = new Option<bool>("--prefetch") { Description = "Fill the service's prefetch templates from the FHIR server (else the service queries it itself)" };
var hook = new Command("hook", "Act as an EHR: read discovery, optionally prefetch, call the service, print the cards") { fhir, patient, service, prefetch, token };
hook.SetAction(async (parse, cancellationToken) =>
{
    var (code, text) = await EhrSimulator.CallAsync(parse.GetValue(fhir)!, parse.GetValue(patient)!, parse.GetValue(service)!, parse.GetValue(prefetch), parse.GetValue(token), cancellationToken);
    Console.Out.Write(text);
    return code;
});

var files = new Argument<FileInfo[]>("files") { Description = "FHIR resources or Bundles (JSON)", Arity = ArgumentArity.OneOrMore };
var validate = new Command("validate", "Check resources against the CML CDS profiles (fhir-profiles/) and list every violation") { files };
validate.SetAction((parse, _) =>
{
    var failed = false;
    foreach (var file in parse.GetValue(files)!)
    {
        var resources = Offline.Resources(Offline.Read(file.FullName));
        var results = Validation.Check(resources);
        Console.Out.Write(Validation.Report(file.Name, resources.Count, results));
        failed |= results.Any(r => r.Violations.Count > 0);
    }
    return Task.FromResult(failed ? 1 : 0);
});

return await new RootCommand("CML CDS: evaluate patients offline, validate against the profiles, load sample patients, call the service as an EHR would") { evaluate, validate, load, hook }
    .Parse(args).InvokeAsync();
