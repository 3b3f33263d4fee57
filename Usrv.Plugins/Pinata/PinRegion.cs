using System.Text.Json.Serialization;

namespace Usrv.Plugins.Pinata;

/// <summary>A storage region of a pin in <c>data/pinList</c> rows (Pinata API reference).</summary>
/// <param name="RegionId">The region, e.g. <c>FRA1</c>.</param>
/// <param name="CurrentReplicationCount">Copies held in that region now.</param>
/// <param name="DesiredReplicationCount">Copies wanted in that region.</param>
public sealed record PinRegion(
    [property: JsonPropertyName("regionId")] string RegionId,
    [property: JsonPropertyName("currentReplicationCount")] int CurrentReplicationCount,
    [property: JsonPropertyName("desiredReplicationCount")] int DesiredReplicationCount);
