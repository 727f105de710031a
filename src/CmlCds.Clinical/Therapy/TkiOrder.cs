namespace CmlCds.Clinical.Therapy;

/// <summary>
/// One TKI order or statement from the chart.
/// </summary>
/// <param name="SourceId">e.g. <c>MedicationRequest/42</c>.</param>
/// <param name="Start">Earliest of authoredOn, boundsPeriod.start, effectivePeriod.start.</param>
/// <param name="End">boundsPeriod.end / validityPeriod.end / effectivePeriod.end, read only when the order is stopped or completed.</param>
/// <param name="Ended">The order's status says it is over (stopped or completed).</param>
/// <param name="Stopped">The status is <c>stopped</c>: therapy was deliberately stopped (a TFR attempt, intolerance),
/// not merely an order that ran its course (<c>completed</c>, as with a refill).</param>
public sealed record TkiOrder(string SourceId, Tki Drug, DateOnly Start, DateOnly? End, bool Ended, bool Stopped = false);
