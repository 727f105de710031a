using System.Text.Json;
using System.Text.Json.Nodes;
using CmlCds.Clinical.Evaluation;
using CmlCds.Fhir.Json;
using CmlCds.Fhir.Model;
using CmlCds.Hooks.Cards;
using CmlCds.Hooks.Mapping;
using CmlCds.Hooks.Protocol;

namespace CmlCds.Cli;

/// <summary>
/// Evaluates one patient's resources without a server: the same mapping, rules and cards as the service's hook call,
/// so `cmlcds evaluate --format json` prints the response the service would return for that data.
/// </summary>
public static class Offline
{
    /// <summary>The patient's resources from any Bundle (collection, transaction, searchset...), or a single resource.</summary>
    public static IReadOnlyList<Resource> Resources(Resource resource) =>
        resource is Bundle bundle ? bundle.Resources().ToList() : [resource];

    public static CdsResponse Evaluate(IReadOnlyList<Resource> resources, DateOnly today, EvaluationSettings settings, ICardIds ids)
    {
        var patients = resources.OfType<Patient>().Select(p => p.Id).Distinct().ToList();
        if (patients.Count > 1)
            throw new CliException($"the bundle holds {patients.Count} patients ({string.Join(", ", patients)}); evaluate one patient's resources at a time.");
        var history = PatientHistoryMapper.Map(resources, today);
        var evaluation = CmlEvaluator.Evaluate(history, settings, today);
        return new CardRenderer(ids).Render(evaluation, new CardContext(patients.FirstOrDefault() ?? "unknown", resources));
    }

    /// <summary>A FHIR resource or Bundle from a JSON file; anything else is a <see cref="CliException"/> saying what the file is instead.</summary>
    public static Resource Read(string path)
    {
        var name = Path.GetFileName(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"{path}: no such file; give the path of a FHIR Bundle, e.g. samples/t315i-on-imatinib.json.", CliException.Usage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path} cannot be read ({e.Message}).");
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliException($"{name} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); is it complete? Export the bundle again.");
        }
        if (node is not JsonObject o)
            throw new CliException($"{name} is not a FHIR resource (a JSON object with 'resourceType'); give a Bundle of one patient's resources.");
        if (o["resourceType"] is null)
            throw new CliException(o.ContainsKey("hook") && o.ContainsKey("hookInstance")
                ? $"{name} is a CDS Hooks request, not a FHIR Bundle; give the patient's resources as a Bundle (samples/ holds one per scenario), or post the request to the service."
                : $"{name} has no 'resourceType', so it is not a FHIR resource; give a Bundle of one patient's resources.");
        try
        {
            return FhirJson.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliException($"{name} is not a FHIR R4 resource this tool reads: {e.Message}" + (e.Path is null ? "" : $" (at {e.Path})"));
        }
    }
}
