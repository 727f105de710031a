using CmlCds.Clinical.Evaluation;
using CmlCds.Clinical.Milestones;
using CmlCds.Clinical.Patients;
using CmlCds.Clinical.Responses;
using CmlCds.Clinical.Therapy;

namespace CmlCds.Clinical.Tests;

/// <summary>Builds a patient the way a chart reads: <c>Chart.OnImatinibSince("2024-01-15").AtDay(91, 8.5m)</c>.</summary>
public sealed class Chart
{
    private readonly List<BcrAbl1Result> _results = [];
    private readonly List<TkiOrder> _orders = [];
    private readonly List<MutationResult> _mutations = [];
    private readonly List<CmlDiagnosis> _diagnoses = [];
    private readonly List<PendingOrder> _pending = [];
    private Transcript _transcript = Transcript.Unknown;
    private DateOnly? _today;
    private int _n;

    public DateOnly Start { get; }

    private Chart(DateOnly start) => Start = start;

    public static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static Chart OnImatinibSince(string start) => On(Tki.Imatinib, start);

    public static Chart On(Tki drug, string start)
    {
        var chart = new Chart(D(start));
        chart._orders.Add(new TkiOrder($"MedicationRequest/{drug}-1", drug, chart.Start, null, false));
        chart._diagnoses.Add(new CmlDiagnosis("Condition/cml", chart.Start.AddDays(-21), Phase.Chronic));
        return chart;
    }

    public Chart SwitchedTo(Tki drug, string on)
    {
        _orders.Add(new TkiOrder($"MedicationRequest/{drug}-{_orders.Count + 1}", drug, D(on), null, false));
        return this;
    }

    /// <summary>Every order stopped on <paramref name="on"/> (status stopped): a TFR attempt when in MR4.</summary>
    public Chart Stopped(string on)
    {
        for (var i = 0; i < _orders.Count; i++)
            if (!_orders[i].Ended) _orders[i] = _orders[i] with { End = D(on), Ended = true, Stopped = true };
        return this;
    }

    public Chart Restarted(Tki drug, string on) => SwitchedTo(drug, on);

    /// <summary>Every order stopped on <paramref name="on"/> for <paramref name="reason"/>, and <paramref name="drug"/> started that day.</summary>
    public Chart SwitchedTo(Tki drug, string on, ChangeReason reason)
    {
        for (var i = 0; i < _orders.Count; i++)
            if (!_orders[i].Ended) _orders[i] = _orders[i] with { End = D(on), Ended = true, Stopped = true, StopReason = reason };
        return SwitchedTo(drug, on);
    }

    /// <summary>The current TKI stopped on <paramref name="from"/> (explicit stop) and ordered again on <paramref name="to"/>.</summary>
    public Chart Interrupted(string from, string to)
    {
        var drug = _orders[^1].Drug;
        Stopped(from);
        return SwitchedTo(drug, to);
    }

    /// <summary>Every open order completed on <paramref name="on"/> (the prescription ran out), with no new order.</summary>
    public Chart PrescriptionRanOut(string on)
    {
        for (var i = 0; i < _orders.Count; i++)
            if (!_orders[i].Ended) _orders[i] = _orders[i] with { End = D(on), Ended = true, Stopped = false };
        return this;
    }

    public DateOnly? BirthDate { get; private set; }

    public Chart Born(string on)
    {
        BirthDate = D(on);
        return this;
    }

    /// <summary>A result every <paramref name="everyDays"/> days from <paramref name="from"/> to <paramref name="to"/> (inclusive).</summary>
    public Chart Every(int everyDays, string from, string to, decimal percent)
    {
        for (var d = D(from); d <= D(to); d = d.AddDays(everyDays)) WithBcrAbl1(percent, d);
        return this;
    }

    /// <summary>A %IS result <paramref name="day"/> days after the current line started.</summary>
    public Chart AtDay(int day, decimal percent) => WithBcrAbl1(percent, Start.AddDays(day));

    public Chart WithBcrAbl1(decimal percent, DateOnly on) => Add(new BcrAbl1Result(Id(), on, percent));

    public Chart WithBcrAbl1(decimal percent, string on) => WithBcrAbl1(percent, D(on));

    public Chart UndetectableAtDay(int day, decimal below, int? abl1 = null, int? gusb = null) =>
        Add(new BcrAbl1Result(Id(), Start.AddDays(day), below, ResultComparator.LessThan, false, abl1, gusb));

    public Chart NotDetectedAtDay(int day, int? abl1 = null, int? gusb = null) =>
        Add(new BcrAbl1Result(Id(), Start.AddDays(day), null, ResultComparator.None, true, abl1, gusb));

    public Chart WithMutation(int day, params string[] mutations)
    {
        _mutations.Add(MutationResult.Detected($"Observation/kd-{_mutations.Count + 1}", Start.AddDays(day), mutations));
        return this;
    }

    public Chart WithoutCmlDiagnosis()
    {
        _diagnoses.Clear();
        return this;
    }

    public Chart WithTranscript(Transcript t)
    {
        _transcript = t;
        return this;
    }

    /// <summary>The clinic date; by default a week after the latest result (or the line start), so nothing is overdue.</summary>
    public DateOnly Today => _today ?? (_results.Count > 0 ? _results.Max(r => r.Date) : Start).AddDays(7);

    public Chart On(string today)
    {
        _today = D(today);
        return this;
    }

    public Chart TodayIsDay(int day)
    {
        _today = Start.AddDays(day);
        return this;
    }

    public Chart WithPendingOrder(OrderKind kind, int day)
    {
        _pending.Add(new PendingOrder($"ServiceRequest/{kind}-{_pending.Count + 1}", kind, Start.AddDays(day)));
        return this;
    }

    public Chart InPhase(Phase phase, int day)
    {
        _diagnoses.Add(new CmlDiagnosis($"Condition/phase-{_diagnoses.Count}", Start.AddDays(day), phase));
        return this;
    }

    public PatientHistory History => new()
    {
        Orders = _pending.ToList(),
        BirthDate = BirthDate,
        Diagnoses = _diagnoses.ToList(),
        Results = _results.OrderBy(r => r.Date).ToList(),
        TkiOrders = _orders.ToList(),
        Mutations = _mutations.ToList(),
        Transcript = _transcript,
        BcrAbl1ResultsSeen = _results.Count,
    };

    public EvaluationResult Evaluate(Guideline guideline = Guideline.Eln2020, NccnSettings? nccn = null) =>
        CmlEvaluator.Evaluate(History, new EvaluationSettings { Guideline = guideline, Nccn = nccn ?? new NccnSettings() }, Today);

    public T? Get<T>(Guideline guideline = Guideline.Eln2020) where T : Finding => Evaluate(guideline).Get<T>();

    public ResponseFinding? Response(Guideline guideline = Guideline.Eln2020, NccnSettings? nccn = null) =>
        Evaluate(guideline, nccn).Get<ResponseFinding>();

    public ResponseCategory? Category(Guideline guideline = Guideline.Eln2020, NccnSettings? nccn = null) =>
        Response(guideline, nccn)?.Category;

    private Chart Add(BcrAbl1Result r)
    {
        _results.Add(r);
        return this;
    }

    private string Id() => $"Observation/bcr-{++_n}";
}
