using CmlCds.Clinical.Responses;

namespace CmlCds.Clinical.Tests.Responses;

/// <summary>Clinical specification §1 "Values": comparator, not-detected and control-gene copies (Cross 2015).</summary>
public class ScoringTests
{
    private static readonly DateOnly On = new(2025, 1, 10);

    private static ScoredResult Below(decimal value, int? abl1 = null, int? gusb = null, ResultComparator c = ResultComparator.LessThan) =>
        ScoredResult.Score(new BcrAbl1Result("Observation/x", On, value, c, false, abl1, gusb));

    private static ScoredResult NotDetected(int? abl1 = null, int? gusb = null) =>
        ScoredResult.Score(new BcrAbl1Result("Observation/x", On, null, ResultComparator.None, true, abl1, gusb));

    [Fact]
    public void Undetectable_below_MR4_5_without_copies_counts_as_MMR_never_deeper_and_says_so()
    {
        // "< 0.0032%" with no control-gene copies: the sensitivity is not reported (Cross 2015).
        var s = Below(0.0032m);
        Assert.Equal(ResponseLevel.MMR, s.Level);
        Assert.Equal(0.1m, s.EffectivePercent);
        Assert.True(s.SensitivityNotReported);
        Assert.Equal(Patients.DataQualityCodes.SensitivityNotReported, s.SensitivityCode);
    }

    [Fact]
    public void Undetectable_below_a_value_shallower_than_MMR_keeps_that_value_without_a_note()
    {
        var s = Below(0.5m);
        Assert.Equal(ResponseLevel.MR2, s.Level);
        Assert.Equal(0.5m, s.EffectivePercent);
        Assert.Null(s.SensitivityNote);
    }

    [Fact]
    public void Less_or_equal_comparator_scores_like_less_than() => Assert.Equal(ResponseLevel.MR4, Below(0.01m, abl1: 10_000, c: ResultComparator.LessOrEqual).Level);

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
    public void Undetectable_with_600_ABL1_copies_is_not_evaluable_never_a_response()
    {
        var s = Below(0.0032m, abl1: 600);
        Assert.True(s.NotEvaluable);
        Assert.Equal(ResponseLevel.None, s.Level);
        Assert.Contains("repeat the test", s.SensitivityNote);
    }

    [Fact]
    public void Undetectable_with_1000_ABL1_copies_is_MMR_with_a_note()
    {
        var s = Below(0.0032m, abl1: 1_000);
        Assert.False(s.NotEvaluable);
        Assert.Equal(ResponseLevel.MMR, s.Level);
        Assert.Equal(Patients.DataQualityCodes.InsufficientSensitivity, s.SensitivityCode);
    }

    [Theory]
    [InlineData(2_399, true)]
    [InlineData(2_400, false)]
    public void Undetectable_GUSB_copies_either_side_of_the_MMR_minimum(int gusb, bool notEvaluable) =>
        Assert.Equal(notEvaluable, NotDetected(gusb: gusb).NotEvaluable);

    [Fact]
    public void Undetectable_with_10000_ABL1_copies_is_still_MR4() => Assert.Equal(ResponseLevel.MR4, Below(0.01m, abl1: 10_000).Level);

    [Fact]
    public void Quantified_result_with_5000_ABL1_copies_keeps_its_level_with_a_caveat()
    {
        var s = ScoredResult.Score(new BcrAbl1Result("Observation/x", On, 0.05m, Abl1Copies: 5_000));
        Assert.Equal(ResponseLevel.MMR, s.Level);
        Assert.Equal(Patients.DataQualityCodes.LowControlGeneCopies, s.SensitivityCode);
    }

    [Fact]
    public void Quantified_result_with_10000_ABL1_copies_has_no_caveat() =>
        Assert.Null(ScoredResult.Score(new BcrAbl1Result("Observation/x", On, 0.05m, Abl1Copies: 10_000)).SensitivityNote);

    [Theory]
    [InlineData(null, null, "undetectable (sensitivity not reported)")]
    [InlineData(32_000, null, "undetectable (≤ 0.0032%)")]
    public void Not_detected_reads_as_undetectable_never_as_a_percent(int? abl1, int? gusb, string expected) =>
        Assert.Equal(expected, NotDetected(abl1, gusb).Shown);

    [Fact]
    public void Undetectable_below_a_value_reads_with_its_comparator()
    {
        var s = Below(0.0032m, abl1: 40_000);
        Assert.Equal("undetectable (< 0.0032%)", s.Shown);
        Assert.Equal("undetectable (< 0.0032% IS, MR4.5)", s.ShownIsWithLevel);
        Assert.Equal("0.04% IS (MMR)", ScoredResult.Score(new BcrAbl1Result("Observation/x", On, 0.04m)).ShownIsWithLevel);
    }

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
