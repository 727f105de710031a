using CmlCds.Fhir.Client;

namespace CmlCds.Fhir.Tests.Client;

/// <summary>Issue 17 item 4: bytes per call and across calls are bounded, and a finished call gives its bytes back.</summary>
public class ReadBudgetTests
{
    [Fact]
    public void A_call_may_not_read_past_its_own_budget()
    {
        using var call = new ReadBudget(100, "call spent");
        call.Take(60);
        var e = Assert.Throws<ReadBudget.ExceededException>(() => call.Take(41));
        Assert.Equal("call spent", e.Message);
        Assert.Equal(60, call.Used);
        call.Take(40);
    }

    [Fact]
    public void Calls_together_may_not_read_past_the_shared_budget_and_a_finished_call_gives_its_bytes_back()
    {
        var shared = new ReadBudget(150, "all spent");
        var first = new ReadBudget(100, "call spent", shared);
        using var second = new ReadBudget(100, "call spent", shared);
        first.Take(100);
        second.Take(50);
        var e = Assert.Throws<ReadBudget.ExceededException>(() => second.Take(1));
        Assert.Equal("all spent", e.Message);
        Assert.Equal(50, second.Used); // nothing taken by the refused read
        first.Dispose();
        Assert.Equal(50, shared.Used);
        second.Take(50);
    }
}
