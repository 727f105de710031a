namespace CmlCds.Clinical.Patients;

public enum OrderKind { MutationAnalysis, BcrAbl1 }

/// <summary>An active or draft order on the chart (ServiceRequest): a test already asked for.</summary>
public sealed record PendingOrder(string SourceId, OrderKind Kind, DateOnly Date);
