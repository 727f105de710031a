using System.Text.Json.Serialization;

namespace CmlCds.Fhir.Model;

/// <summary>
/// A FHIR R4 resource. <c>resourceType</c> is written first; reading picks the subclass by it
/// (see <see cref="Json.ResourceJsonConverter"/>), and an unmodelled type becomes <see cref="OtherResource"/>.
/// </summary>
public abstract class Resource : Element
{
    [JsonPropertyName("resourceType")]
    [JsonPropertyOrder(-100)]
    public string ResourceType { get => GetResourceType(); set => SetResourceType(value); }

    protected abstract string GetResourceType();

    /// <summary>A modelled type's name is fixed by its class; the member read from JSON only selected the class.</summary>
    protected virtual void SetResourceType(string value) { }

    [JsonPropertyOrder(-80)]
    public Meta? Meta { get; set; }

    /// <summary>Every reading problem of this resource and its nested elements.</summary>
    public virtual IEnumerable<FhirIssue> AllIssues() => Issues ?? [];

    /// <summary><c>Type/id</c>, the local reference to this resource, or the type alone when it has no id.</summary>
    [JsonIgnore]
    public string LocalReference => Id is null ? ResourceType : $"{ResourceType}/{Id}";
}

/// <summary>A resource of a type this project does not model: kept whole (in <see cref="Element.AdditionalElements"/>), never dropped.</summary>
public sealed class OtherResource : Resource
{
    private string _resourceType = "Resource";

    protected override string GetResourceType() => _resourceType;
    protected override void SetResourceType(string value) => _resourceType = value;
}
