using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Terminology;
using Task = System.Threading.Tasks.Task;

namespace CmlCds.Conformance;

/// <summary>
/// Firely's validator over core FHIR R4 and the project's profiles: cardinality, types, required elements, core
/// value sets, FHIRPath invariants and the profiles' constraints, codes checked against the ValueSets of
/// <c>fhir-profiles/</c> and core R4 (local terminology; no terminology server). Reference targets are checked
/// against the resources validated with it (a Bundle's entries, the other resources of a file), and a reference to
/// nothing at hand is read by its type alone (<see cref="ReferenceTargets"/>). One instance is built once
/// (compiled schemas are cached in it) and validates one resource at a time.
/// </summary>
public sealed class FirelyValidator
{
    private readonly Validator _validator;
    private readonly ReferenceTargets _targets = new();
    private readonly Lock _gate = new();

    public FirelyPackage Package { get; }

    public FirelyValidator(FirelyPackage package)
    {
        Package = package;
        var terminology = new LocalTerminologyService(package.Resolver);
        _validator = new Validator(package.Resolver, terminology, _targets);
    }

    /// <summary>
    /// Validates <paramref name="resource"/> against core R4, the profiles it claims in <c>meta.profile</c> and
    /// <paramref name="profile"/> when given; <paramref name="context"/> are the resources its references may point at.
    /// </summary>
    public OperationOutcome Validate(Resource resource, string? profile = null, IEnumerable<Resource>? context = null)
    {
        lock (_gate)
        {
            _targets.Use(context ?? []);
            return _validator.Validate(resource, profile);
        }
    }

    /// <summary>
    /// What a reference points at: one of the resources at hand (by <c>Type/id</c> or by <c>fullUrl</c>), else, when
    /// the reference names a resource type, an empty resource of that type (so the target's type is checked against the
    /// profile's <c>targetProfile</c> without a FHIR server), else nothing.
    /// </summary>
    private sealed class ReferenceTargets : IExternalReferenceResolver
    {
        private Dictionary<string, Resource> _known = new(StringComparer.Ordinal);

        public void Use(IEnumerable<Resource> resources)
        {
            var known = new Dictionary<string, Resource>(StringComparer.Ordinal);
            foreach (var r in resources)
                if (r.Id is { } id) known.TryAdd($"{r.TypeName}/{id}", r);
            _known = known;
        }

        public System.Threading.Tasks.Task<object?> ResolveAsync(string reference)
        {
            var (type, id) = TypeAndId(reference);
            if (type is null || id is null) return Task.FromResult<object?>(null);
            if (_known.TryGetValue($"{type}/{id}", out var r)) return Task.FromResult<object?>(r);
            if (ModelInfo.GetTypeForFhirType(type) is { } t && typeof(Resource).IsAssignableFrom(t) && Activator.CreateInstance(t) is Resource stub)
            {
                stub.Id = id;
                return Task.FromResult<object?>(stub);
            }
            return Task.FromResult<object?>(null);
        }

        /// <summary><c>Type/id</c>, <c>base/Type/id</c> or <c>base/Type/id/_history/v</c>.</summary>
        internal static (string? Type, string? Id) TypeAndId(string reference)
        {
            var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var history = Array.IndexOf(parts, "_history");
            if (history >= 0) parts = parts[..history];
            return parts.Length >= 2 && ModelInfo.IsKnownResource(parts[^2]) ? (parts[^2], parts[^1]) : (null, null);
        }
    }
}
