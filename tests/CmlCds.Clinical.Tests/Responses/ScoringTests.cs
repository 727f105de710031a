using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Tests.Responses;

/// <summary>RULES.md §1 "Values": comparator, not-detected and control-gene copies.</summary>
public class ScoringTests
{
    private static readonly DateOnly On = new(2025, 1, 10);

    private static ScoredResult Below(decimal value, int? abl1 = null, int? gusb = null, ResultComparator c = ResultComparator.LessThan) =>
        ScoredResult.Score(new BcrAbl1Result("Observation/x", On, value, c, false, abl1, gusb));

    private static ScoredResult NotDetected(int? abl1 = null, int? gusb = null) =>
        ScoredResult.Score(new BcrAbl1Result("Observation/x", On, null, ResultComparator.None, true, abl1, gusb));

    [Fact]
    public void Undetectable_below_a_value_scores_at_that_value_without_copies()
    {
        var s = Below(0.0032m);
        Assert.Equal(ResponseLevel.MR4_5, s.Level);
        Assert.Equal(0.0032m, s.EffectivePercent);
        Assert.Null(s.SensitivityNote);
    }

    [Fact]
    public void Less_or_equal_comparator_scores_like_less_than() => Assert.Equal(ResponseLevel.MR4, Below(0.01m, c: ResultComparator.LessOrEqual).Level);

    [Fact]
    public void Undetectable_with_enough_ABL1_copies_keeps_its_level() => Assert.Equal(ResponseLevel.MR4_5, Below(0.0032m, abl1: 32_000).Level);

    [Fact]
    public void Undetectable_with_31999_ABL1_copies_drops_to_MR4_with_a_note()
    {
        var s = Below(0.0032m, abl1: 31_999);
        Assert.Equal(ResponseLevel.MR4, s.Level);
        Assert.Equal(0.01m, s.EffectivePercent);
        Assert.Contains("MR4.5", s.SensitivityNote);
    }

    [Fact]
    public void Undetectable_with_5000_ABL1_copies_counts_as_MMR_only()
    {
        var s = Below(0.0032m, abl1: 5_000);
        Assert.Equal(ResponseLevel.MMR, s.Level);
        Assert.Equal(0.1m, s.EffectivePercent);
        Assert.NotNull(s.SensitivityNote);
    }

    [Fact]
    public void Undetectable_at_MMR_level_needs_no_copies() => Assert.Null(Below(0.05m, abl1: 100).SensitivityNote);

    [Fact]
    public void Not_detected_without_copies_is_MMR_never_MR4()
    {
        var s = NotDetected();
        Assert.Equal(ResponseLevel.MMR, s.Level);
        Assert.Equal(0.1m, s.EffectivePercent);
        Assert.Contains("never as MR4", s.SensitivityNote);
    }

    [Fact]
    public void Not_detected_with_100000_ABL1_copies_is_MR5() => Assert.Equal(ResponseLevel.MR5, NotDetected(abl1: 100_000).Level);

    [Fact]
    public void Not_detected_with_24000_GUSB_copies_is_MR4() => Assert.Equal(ResponseLevel.MR4, NotDetected(gusb: 24_000).Level);

    [Fact]
    public void Not_detected_with_9999_ABL1_copies_is_MMR_with_a_note()
    {
        var s = NotDetected(abl1: 9_999);
        Assert.Equal(ResponseLevel.MMR, s.Level);
        Assert.NotNull(s.SensitivityNote);
    }

    [Fact]
    public void Detected_value_keeps_the_labs_number_and_scale()
    {
        var s = ScoredResult.Score(new BcrAbl1Result("Observation/x", On, 0.0850m));
        Assert.Equal("0.0850", s.Result.Display);
        Assert.Equal(ResponseLevel.MMR, s.Level);
    }

    [Fact]
    public void Display_shows_the_comparator() => Assert.Equal("<0.0032", Below(0.0032m).Result.Display);
}
