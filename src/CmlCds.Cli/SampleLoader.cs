using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CmlCds.Cli;

/// <summary>`cmlcds load`: posts each sample transaction Bundle to a FHIR server, with a progress line per patient.</summary>
public static class SampleLoader
{
    /// <param name="shiftToToday">Move the dates so the reference date becomes today's UTC date, the day the service counts from.</param>
    public static async Task<int> LoadAsync(Uri fhir, string? token, bool shiftToToday, DirectoryInfo samples, TextWriter progress, CancellationToken cancellationToken)
    {
        var files = samples.GetFiles("*.json").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new CliException($"{samples.FullName} holds no .json bundles; give the samples/ folder with --samples.", CliException.Usage);
        var days = shiftToToday ? DateOnly.FromDateTime(DateTime.UtcNow).DayNumber - SampleBundles.ReferenceDate.DayNumber : 0;
        using var http = Http.Client(token);
        for (var i = 0; i < files.Count; i++)
        {
            JsonNode json;
            try
            {
                json = JsonNode.Parse(await File.ReadAllTextAsync(files[i].FullName, cancellationToken))!;
            }
            catch (JsonException e)
            {
                throw new CliException($"{files[i].Name} is not valid JSON (line {e.LineNumber + 1}); nothing after it was loaded.");
            }
            if (days != 0) json = SampleBundles.ShiftDates(json, days);
            using var response = await Http.SendAsync("the FHIR server (--fhir)", fhir, () =>
                http.PostAsync(fhir, new StringContent(json.ToJsonString(), Encoding.UTF8, "application/fhir+json"), cancellationToken));
            await progress.WriteLineAsync($"[{i + 1}/{files.Count}] {Path.GetFileNameWithoutExtension(files[i].Name)}: {json["entry"]?.AsArray().Count ?? 0} resources, HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new CliException($"the FHIR server refused {files[i].Name}: {Http.Failure(response, await response.Content.ReadAsStringAsync(cancellationToken))}; is --fhir the server's base URL (e.g. http://localhost:8080/fhir)?");
        }
        return 0;
    }
}
