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
            throw new InvalidOperationException($"The bundle holds {patients.Count} patients; evaluate one patient's resources at a time.");
        var history = PatientHistoryMapper.Map(resources, today);
        var evaluation = CmlEvaluator.Evaluate(history, settings, today);
        return new CardRenderer(ids).Render(evaluation, new CardContext(patients.FirstOrDefault() ?? "unknown", resources));
    }

    public static Resource Read(string path) => FhirJson.Parse(File.ReadAllText(path));
}
