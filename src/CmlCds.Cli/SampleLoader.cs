using System.Text;
using System.Text.Json.Nodes;

namespace CmlCds.Cli;

/// <summary>`cmlcds load`: posts each sample transaction Bundle to a FHIR server, with a progress line per patient.</summary>
public static class SampleLoader
{
    public static async Task<int> LoadAsync(Uri fhir, string? token, bool shiftToToday, DirectoryInfo samples, TextWriter progress, CancellationToken cancellationToken)
    {
        var files = samples.GetFiles("*.json").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var days = shiftToToday ? DateOnly.FromDateTime(DateTime.Now).DayNumber - SampleBundles.ReferenceDate.DayNumber : 0;
        using var http = Printing.Client(token);
        for (var i = 0; i < files.Count; i++)
        {
            var json = JsonNode.Parse(await File.ReadAllTextAsync(files[i].FullName, cancellationToken))!;
            if (days != 0) json = SampleBundles.ShiftDates(json, days);
            using var response = await http.PostAsync(fhir, new StringContent(json.ToJsonString(), Encoding.UTF8, "application/fhir+json"), cancellationToken);
            await progress.WriteLineAsync($"[{i + 1}/{files.Count}] {Path.GetFileNameWithoutExtension(files[i].Name)}: {json["entry"]?.AsArray().Count ?? 0} resources, HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
            {
                await progress.WriteLineAsync(await response.Content.ReadAsStringAsync(cancellationToken));
                return 1;
            }
        }
        return 0;
    }
}
