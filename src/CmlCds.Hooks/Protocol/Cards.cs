using System.Text.Json.Serialization;
using CmlCds.Fhir.Model;

namespace CmlCds.Hooks.Protocol;

/// <summary>The service response (§CDS Service Response). <c>cards</c> is always written, empty when there is no guidance.</summary>
public sealed record CdsResponse(IReadOnlyList<Card> Cards)
{
    public static readonly CdsResponse Empty = new([]);
}

public enum Indicator { Info, Warning, Critical }

public enum SelectionBehavior { AtMostOne, Any }

/// <summary>A card (§Card Attributes). Optional members are omitted, never null or empty.</summary>
public sealed record Card
{
    public string? Uuid { get; init; }
    /// <summary>Fewer than 140 characters.</summary>
    public required string Summary { get; init; }
    /// <summary>GitHub Flavored Markdown.</summary>
    public string? Detail { get; init; }
    public required Indicator Indicator { get; init; }
    public required CardSource Source { get; init; }
    public IReadOnlyList<Suggestion>? Suggestions { get; init; }
    public SelectionBehavior? SelectionBehavior { get; init; }
    public IReadOnlyList<CdsCoding>? OverrideReasons { get; init; }
    public IReadOnlyList<CardLink>? Links { get; init; }
    /// <summary>CDS Hooks 2.0 extension: machine-readable details the clinician-facing text leaves out.</summary>
    public CardExtension? Extension { get; init; }
}

/// <summary>A Coding as CDS Hooks defines it: <c>code</c> and <c>system</c> required, <c>display</c> required for override reasons.</summary>
public sealed record CdsCoding(string Code, string System, string? Display = null);

/// <summary>The card's extension object: for the data-quality card, each note's code and the resource it concerns.</summary>
public sealed record CardExtension
{
    [System.Text.Json.Serialization.JsonPropertyName("http://cmlcds.org/fhir/data-quality")]
    public IReadOnlyList<DataQualityItem>? DataQuality { get; init; }

    /// <summary>Notes left out of <see cref="DataQuality"/>, which holds at most the latest 50 (the response has a size budget).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("http://cmlcds.org/fhir/data-quality-not-listed")]
    public int? DataQualityNotListed { get; init; }
}

/// <summary>One data-quality note as a client system reads it (codes from the data-quality CodeSystem).</summary>
public sealed record DataQualityItem(string Code, string System, string? Resource, string? Date, bool SetAside);

public sealed record CardSource
{
    public required string Label { get; init; }
    public string? Url { get; init; }
    public string? Icon { get; init; }
    public CdsCoding? Topic { get; init; }
}

public sealed record Suggestion
{
    public required string Label { get; init; }
    public string? Uuid { get; init; }
    public bool? IsRecommended { get; init; }
    public IReadOnlyList<SuggestionAction>? Actions { get; init; }
}

public enum ActionType { Create, Update, Delete }

public sealed record SuggestionAction
{
    public required ActionType Type { get; init; }
    public required string Description { get; init; }
    [JsonConverter(typeof(Json.EmbeddedResourceConverter))]
    public Resource? Resource { get; init; }
    public string? ResourceId { get; init; }
}

public enum LinkType { Absolute, Smart }

public sealed record CardLink
{
    public required string Label { get; init; }
    public required string Url { get; init; }
    public required LinkType Type { get; init; }
    public string? AppContext { get; init; }
}
