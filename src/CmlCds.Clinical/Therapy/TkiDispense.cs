namespace CmlCds.Clinical.Therapy;

/// <summary>
/// A TKI supply handed to the patient (MedicationDispense <c>completed</c>, clinical specification §11).
/// </summary>
/// <param name="HandedOver"><c>whenHandedOver</c>.</param>
/// <param name="DaysSupply">Days the supply covers: <c>daysSupply</c>, else <c>quantity</c> ÷ the daily dose of the
/// dispense's own instructions (same unit); null when neither can be read: the dispense is then not counted.</param>
/// <param name="Product">The product as coded (code, else its name, lower-cased): a supply is carried forward only into
/// a later dispense of the same product (clinical specification §11.1); null when not known.</param>
public sealed record TkiDispense(string SourceId, Tki Drug, DateOnly HandedOver, int? DaysSupply, string? Product = null);

/// <summary>
/// A medication on file that is not a TKI and may be being taken (an active or on-hold order; a statement active,
/// on-hold, intended or of unknown status): checked against the interaction table (clinical specification §11).
/// </summary>
/// <param name="Name">As the chart names it (text, else the first display), for the card.</param>
/// <param name="AtcCodes">ATC codes among its codings.</param>
/// <param name="Names">Every text and display, lower-cased, matched against ingredient names.</param>
public sealed record OtherMedication(string SourceId, string Name, IReadOnlyList<string> AtcCodes, IReadOnlyList<string> Names);
