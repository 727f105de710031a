using CmlCds.Hooks.Protocol;

namespace CmlCds.Hooks.Cards;

public sealed partial class CardRenderer
{
    /// <summary>Where <c>dotnet run --project src/CmlCds.Api</c> serves the response chart (DESIGN.md's base URL).</summary>
    public const string DefaultChartLaunchUrl = "http://localhost:5080/chart/";

    /// <summary>
    /// The SMART launch URL of the response chart (served by the service at <c>/chart/</c>); the EHR adds <c>iss</c> and
    /// <c>launch</c>. Null: no link (a service outside Development that does not know its public address).
    /// </summary>
    public string? ChartLaunchUrl { get; init; } = DefaultChartLaunchUrl;

    /// <summary>The response and TFR cards open the response chart: a <c>links</c> entry of type <c>smart</c>.</summary>
    private Card WithChartLink(Card card) => ChartLaunchUrl is null ? card : card with
    {
        Links = [.. card.Links ?? [], new CardLink { Label = "Response chart (BCR::ABL1 over time)", Url = ChartLaunchUrl, Type = LinkType.Smart }],
    };
}
