using System.Reflection;

namespace CmlCds.Api.Tests;

/// <summary>
/// The service's start-up does not pay for the Firely SDK: no assembly the service is built from refers to Hl7.Fhir.*
/// or Firely.* (those live in CmlCds.Conformance, for the `validate` command and the conformance tests only).
/// </summary>
public class ServiceDoesNotLoadFirelyTests
{
    [Fact]
    public void No_assembly_of_the_service_refers_to_the_Firely_SDK()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(CmlCdsApp).Assembly]);
        var firely = new List<string>();
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.Add(assembly.GetName().Name!)) continue;
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name!.StartsWith("Hl7.Fhir", StringComparison.Ordinal) || reference.Name.StartsWith("Firely", StringComparison.Ordinal))
                    firely.Add($"{assembly.GetName().Name} -> {reference.Name}");
                else if (reference.Name.StartsWith("CmlCds.", StringComparison.Ordinal))
                    pending.Enqueue(Assembly.Load(reference));
            }
        }
        Assert.Contains("CmlCds.Fhir", seen);
        Assert.Contains("CmlCds.Hooks", seen);
        Assert.DoesNotContain("CmlCds.Conformance", seen);
        Assert.Empty(firely);
    }
}
