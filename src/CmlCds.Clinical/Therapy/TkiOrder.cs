namespace CmlCds.Clinical.Therapy;

/// <summary>Why a TKI line was left for another (clinical specification §1, "Therapy lines and stops").</summary>
public enum ChangeReason
{
    /// <summary>Not recorded: "to confirm" wherever it matters.</summary>
    Unknown,
    /// <summary>Drug intolerance or an adverse reaction (SNOMED CT 59037007, 281647001, or the words).</summary>
    Intolerance,
    /// <summary>Resistance, failure, loss of response or progression.</summary>
    Resistance,
}

/// <summary>
/// One TKI order or statement from the chart.
/// </summary>
/// <param name="SourceId">e.g. <c>MedicationRequest/42</c>.</param>
/// <param name="Start">Earliest of authoredOn, boundsPeriod.start, effectivePeriod.start.</param>
/// <param name="End">boundsPeriod.end / validityPeriod.end / effectivePeriod.end (a statement: else dateAsserted), read
/// only when the order is over.</param>
/// <param name="Ended">The order is over: an explicit stop, or an order that ran its course (MedicationRequest
/// <c>completed</c>).</param>
/// <param name="Stopped">An <b>explicit stop</b>: MedicationRequest <c>stopped</c>, or MedicationStatement
/// <c>stopped</c> / <c>completed</c> / <c>not-taken</c>. Only an explicit stop ends therapy; an order that merely
/// completed (a prescription that ran out) is <see cref="Lapsed"/>.</param>
public sealed record TkiOrder(string SourceId, Tki Drug, DateOnly Start, DateOnly? End, bool Ended, bool Stopped = false)
{
    /// <summary>The order ran its course without an explicit stop: not evidence that the patient stopped.</summary>
    public bool Lapsed => Ended && !Stopped;

    /// <summary>Why it was stopped (<c>statusReason</c>), when it was.</summary>
    public ChangeReason StopReason { get; init; }

    /// <summary>Why it was started (<c>reasonCode</c>), when the chart says it was a switch for intolerance or resistance.</summary>
    public ChangeReason StartReason { get; init; }

    /// <summary>The dose the order states, when it can be read (clinical specification §11); null: nothing is inferred.</summary>
    public TkiDose? Dose { get; init; }
}
