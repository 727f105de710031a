namespace CmlCds.Fhir.Conformance;

public enum ViolationKind { Cardinality, Type, FixedValue, Pattern, Binding, ReferenceTarget, ClosedSlicing }

/// <summary>One way an instance departs from a profile, named by the profile's element id.</summary>
public sealed record ProfileViolation(string ProfileUrl, string ProfileTitle, string ElementId, ViolationKind Kind, string Message)
{
    /// <summary>The data-quality code of this kind of violation (CodeSystem data-quality, <c>profile.*</c>).</summary>
    public string Code => CodeOf(Kind);

    public static string CodeOf(ViolationKind kind) => kind switch
    {
        ViolationKind.Cardinality => "profile.cardinality",
        ViolationKind.Type => "profile.type",
        ViolationKind.FixedValue => "profile.fixed-value",
        ViolationKind.Pattern => "profile.pattern",
        ViolationKind.Binding => "profile.binding",
        ViolationKind.ReferenceTarget => "profile.reference-target",
        ViolationKind.ClosedSlicing => "profile.closed-slicing",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public override string ToString() => $"{ElementId}: {Message}";
}
