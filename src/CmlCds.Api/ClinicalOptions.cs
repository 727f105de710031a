using System.ComponentModel.DataAnnotations;
using CmlCds.Clinical;
using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;

namespace CmlCds.Api;

/// <summary>
/// Configuration section <c>Clinical</c>. Only the choices the guidelines leave open live here; every threshold stays
/// in the guideline tables of CmlCds.Clinical.
/// </summary>
public sealed class ClinicalOptions
{
    public const string Section = "Clinical";

    /// <summary><c>Eln2020</c> (default) or <c>Nccn</c>: the milestone table of every <c>response-*</c> rule.</summary>
    [EnumDataType(typeof(Guideline))]
    public Guideline Guideline { get; set; } = Guideline.Eln2020;

    /// <summary>NCCN 6-month &gt; 1–10% cell, <c>Green</c> (V.1.2026) or <c>Orange</c> (newer versions): rule <c>nccn.milestone.6m</c>.</summary>
    [AllowedValues(NccnColour.Green, NccnColour.Orange)]
    public NccnColour NccnSixMonthsAboveOneToTen { get; set; } = NccnColour.Green;

    /// <summary>When the goal is TFR, NCCN LIGHT GREEN at 12 months is read as a warning: rule <c>nccn.milestone.12m</c>.</summary>
    public bool NccnGoalIsTreatmentFreeRemission { get; set; }

    public EvaluationSettings ToSettings() => new()
    {
        Guideline = Guideline,
        Nccn = new NccnSettings
        {
            SixMonthsAboveOneToTen = NccnSixMonthsAboveOneToTen,
            GoalIsTreatmentFreeRemission = NccnGoalIsTreatmentFreeRemission,
        },
    };
}
