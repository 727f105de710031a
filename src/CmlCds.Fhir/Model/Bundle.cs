using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>FHIR R4 Bundle (searchset, collection, transaction...): entries and paging links.</summary>
public sealed class Bundle : Resource
{
    protected override string GetResourceType() => "Bundle";
    public Identifier? Identifier { get; set; }
    public string? Type { get; set; }
    public string? Timestamp { get; set; }
    public int? Total { get; set; }
    public List<BundleLink>? Link { get; set; }
    public List<BundleEntry>? Entry { get; set; }

    /// <summary>The URL of <c>link[relation=next]</c>, when the server has another page.</summary>
    [JsonIgnore]
    public string? NextLink => Link?.Find(l => l.Relation == "next")?.Url;

    /// <summary>The resources of the entries, in order; entries without a resource are skipped.</summary>
    public IEnumerable<Resource> Resources()
    {
        if (Entry is null) yield break;
        foreach (var e in Entry)
            if (e.Resource is not null) yield return e.Resource;
    }
}

public sealed class BundleLink : Element
{
    public string? Relation { get; set; }
    public string? Url { get; set; }
}

public sealed class BundleEntry : Element
{
    public List<BundleLink>? Link { get; set; }
    public string? FullUrl { get; set; }
    public Resource? Resource { get; set; }
    public BundleEntrySearch? Search { get; set; }
    public BundleEntryRequest? Request { get; set; }
    public BundleEntryResponse? Response { get; set; }
}

public sealed class BundleEntrySearch : Element
{
    public string? Mode { get; set; }
    public decimal? Score { get; set; }
}

public sealed class BundleEntryRequest : Element
{
    public string? Method { get; set; }
    public string? Url { get; set; }
    public string? IfNoneExist { get; set; }
}

public sealed class BundleEntryResponse : Element
{
    public string? Status { get; set; }
    public string? Location { get; set; }
    public string? Etag { get; set; }
    public string? LastModified { get; set; }
}
