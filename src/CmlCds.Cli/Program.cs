using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using CmlCds.Cli;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Json;

// cmlcds evaluate <bundle.json> [--format table|json] [--today YYYY-MM-DD] [--guideline Eln2020|Nccn]
// cmlcds load --fhir <base> [--token T] [--shift-to-today] [--samples DIR]
// cmlcds hook --fhir <base> --patient <id> --service <url> [--prefetch] [--token T]
// cmlcds validate <file.json>... [--format table|json] (exit 1 when any resource has an error)
// cmlcds snapshots <fhir-profiles> (regenerates fhir-profiles/snapshots/)
// Exit codes: 0 done, 1 the command ran and failed (bad data, server error, violations), 2 the command line is wrong.
var bundle = new Argument<FileInfo>("bundle") { Description = "A FHIR Bundle (any type) or resource holding one patient's resources" };
var format = new Option<string>("--format") { Description = "table, or json: exactly the CDS Hooks response the service would return", DefaultValueFactory = _ => "table" };
format.Validators.Add(r =>
{
    if (r.Tokens is [{ Value: var v }] && v is not ("table" or "json")) r.AddError($"--format must be table or json, not '{v}'.");
});
var today = new Option<DateOnly?>("--today")
{
    Description = "The clinic date, YYYY-MM-DD (default: today)",
    CustomParser = r => DateOnly.TryParseExact(r.Tokens[0].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
        ? d : Error<DateOnly?>(r, $"--today must be a date written YYYY-MM-DD, e.g. 2026-06-01, not '{r.Tokens[0].Value}'."),
};
var guideline = new Option<Guideline>("--guideline") { Description = "Eln2020 (default) or Nccn", DefaultValueFactory = _ => Guideline.Eln2020 };
var evaluate = new Command("evaluate", "Print the cards for a patient bundle, offline") { bundle, format, today, guideline };
evaluate.SetAction((parse, _) =>
{
    var day = parse.GetValue(today) ?? DateOnly.FromDateTime(DateTime.UtcNow);
    var response = Offline.Evaluate(Offline.Resources(Offline.Read(parse.GetValue(bundle)!.FullName)), day,
        new EvaluationSettings { Guideline = parse.GetValue(guideline) }, new RandomCardIds());
    Console.Out.Write(parse.GetValue(format) == "json" ? JsonSerializer.Serialize(response, CdsHooksJson.Response) + "\n" : Printing.Table(response));
    return Task.FromResult(0);
});

var fhir = UrlOption("--fhir", "FHIR server base URL", "http://localhost:8080/fhir");
var token = new Option<string?>("--token") { Description = "Bearer token for the FHIR server" };
var shift = new Option<bool>("--shift-to-today") { Description = "Move every date so the samples' reference date (2026-06-01) becomes today (UTC)" };
var samples = new Option<DirectoryInfo>("--samples") { Description = "Folder of sample transaction bundles", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(AppContext.BaseDirectory, "samples")) };
samples.AcceptExistingOnly();
var load = new Command("load", "Post the sample patients to a FHIR server, one transaction per patient") { fhir, token, shift, samples };
load.SetAction((parse, cancellationToken) =>
    SampleLoader.LoadAsync(parse.GetValue(fhir)!, parse.GetValue(token), parse.GetValue(shift), parse.GetValue(samples)!, Console.Out, cancellationToken));

var patient = new Option<string>("--patient") { Description = "Patient id on the FHIR server", Required = true };
var service = UrlOption("--service", "The CDS service URL", "http://localhost:5080/cds-services/cml-monitoring");
var prefetch = new Option<bool>("--prefetch") { Description = "Fill the service's prefetch templates from the FHIR server (else the service queries it itself)" };
var hook = new Command("hook", "Act as an EHR: read discovery, optionally prefetch, call the service, print the cards") { fhir, patient, service, prefetch, token };
hook.SetAction(async (parse, cancellationToken) =>
{
    var (code, text) = await EhrSimulator.CallAsync(parse.GetValue(fhir)!, parse.GetValue(patient)!, parse.GetValue(service)!, parse.GetValue(prefetch), parse.GetValue(token), cancellationToken);
    Console.Out.Write(text);
    return code;
});

var files = new Argument<FileInfo[]>("files") { Description = "FHIR resources or Bundles (JSON)", Arity = ArgumentArity.OneOrMore };
var validateFormat = new Option<string>("--format") { Description = "table, or json: one FHIR OperationOutcome with every issue", DefaultValueFactory = _ => "table" };
validateFormat.Validators.Add(r =>
{
    if (r.Tokens is [{ Value: var v }] && v is not ("table" or "json")) r.AddError($"--format must be table or json, not '{v}'.");
});
var profilesOption = new Option<DirectoryInfo>("--profiles") { Description = "A folder laid out as fhir-profiles/ to validate against instead of the built-in profiles (snapshots generated when out of date)" };
profilesOption.AcceptExistingOnly();
var validate = new Command("validate", "Validate resources with Firely's FHIR R4 validator and the CML CDS profiles (fhir-profiles/); list every issue; exit 1 on any error") { files, validateFormat, profilesOption };
validate.SetAction((parse, _) =>
{
    var validator = Validation.Validator(Console.Error, !Console.IsErrorRedirected, parse.GetValue(profilesOption));
    var all = new List<Validation.Result>();
    foreach (var file in parse.GetValue(files)!)
    {
        var results = Validation.Check(validator, file.FullName);
        if (parse.GetValue(validateFormat) != "json") Console.Out.Write(Validation.Report(file.Name, results, validator.Package));
        all.AddRange(results);
    }
    if (parse.GetValue(validateFormat) == "json") Console.Out.Write(Validation.OperationOutcome(all, validator.Package));
    return Task.FromResult(all.Any(r => r.Failed) ? 1 : 0);
});

var profilesDirectory = new Argument<DirectoryInfo>("profiles") { Description = "The fhir-profiles folder: its snapshots/ subfolder is written" };
profilesDirectory.AcceptExistingOnly();
var snapshots = new Command("snapshots", "Generate the snapshots of the profiles (Hl7.Fhir.Specification) and write fhir-profiles/snapshots/, a FHIR NPM package") { profilesDirectory };
snapshots.SetAction((parse, _) =>
{
    var written = Snapshots.Write(parse.GetValue(profilesDirectory)!.FullName, Console.Error);
    Console.Out.WriteLine($"wrote {written} files to {Path.Combine(parse.GetValue(profilesDirectory)!.Name, CmlCds.Conformance.FirelyPackage.SnapshotsFolder)}/");
    return Task.FromResult(0);
});

var root = new RootCommand("CML CDS: evaluate patients offline, validate against the profiles, load sample patients, call the service as an EHR would.\n"
    + "Exit codes: 0 done, 1 failed (bad data, a server error, profile violations), 2 the command line is wrong.") { evaluate, validate, snapshots, load, hook };
var examples = new Dictionary<Command, string>
{
    [root] = """
        cmlcds evaluate samples/t315i-on-imatinib.json --today 2026-06-01
        cmlcds validate samples/*.json
        cmlcds load --fhir http://localhost:8080/fhir --shift-to-today
        cmlcds hook --fhir http://localhost:8080/fhir --patient t315i-on-imatinib --service http://localhost:5080/cds-services/cml-monitoring
        """,
    [evaluate] = """
        cmlcds evaluate samples/t315i-on-imatinib.json --today 2026-06-01
        cmlcds evaluate samples/eln-6m-warning.json --today 2026-06-01 --guideline Nccn
        cmlcds evaluate samples/eln-6m-warning.json --today 2026-06-01 --format json
        """,
    [validate] = """
        cmlcds validate samples/t315i-on-imatinib.json
        cmlcds validate samples/*.json fhir-profiles/examples/*.json
        cmlcds validate my-bundle.json --format json
        cmlcds validate my-bundle.json --profiles ./my-fhir-profiles
        """,
    [snapshots] = """
        cmlcds snapshots fhir-profiles
        """,
    [load] = """
        cmlcds load --fhir http://localhost:8080/fhir
        cmlcds load --fhir http://localhost:8080/fhir --shift-to-today
        cmlcds load --fhir https://fhir.example.org/r4 --token eyJ... --samples ./my-samples
        """,
    [hook] = """
        cmlcds hook --fhir http://localhost:8080/fhir --patient t315i-on-imatinib --service http://localhost:5080/cds-services/cml-monitoring
        cmlcds hook --fhir http://localhost:8080/fhir --patient t315i-on-imatinib --service http://localhost:5080/cds-services/cml-monitoring --prefetch
        """,
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line: the first problem, and where the usage is (System.CommandLine would print every error and the help).
    var command = parsed.CommandResult.Command;
    var path = command == root ? "cmlcds" : $"cmlcds {command.Name}";
    var message = string.Join(' ', parsed.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    Console.Error.WriteLine($"{path}: {message.TrimEnd('.')}. See '{path} --help'.");
    return CliException.Usage;
}
try
{
    var exit = await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    if (parsed.Action is HelpAction && examples.TryGetValue(parsed.CommandResult.Command, out var text))
        Console.Out.Write("Examples:\n" + string.Concat(text.Split('\n').Select(l => $"  {l}\n")) + "\n");
    return exit;
}
catch (CliException e)
{
    Console.Error.WriteLine($"cmlcds {parsed.CommandResult.Command.Name}: {e.Message}");
    return e.ExitCode;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cmlcds: cancelled.");
    return CliException.Failure;
}

static T? Error<T>(ArgumentResult result, string message)
{
    result.AddError(message);
    return default;
}

static Option<Uri> UrlOption(string name, string description, string example) => new(name)
{
    Description = $"{description}, e.g. {example}",
    Required = true,
    CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
        ? url : Error<Uri>(r, $"{name} must be an absolute http(s) URL, e.g. {example}, not '{r.Tokens[0].Value}'."),
};
