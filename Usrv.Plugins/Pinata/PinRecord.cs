using System.Text.Json.Serialization;

namespace Usrv.Plugins.Pinata;

/// <summary>One row of <c>data/pinList</c> (Pinata API reference, "Query Files").</summary>
/// <param name="Id">Pinata's id of the pin record.</param>
/// <param name="IpfsPinHash">The CID (<c>ipfs_pin_hash</c>).</param>
/// <param name="Size">The pinned size in bytes.</param>
/// <param name="UserId">The account (<c>user_id</c>).</param>
/// <param name="DatePinned">When it was pinned (<c>date_pinned</c>, ISO 8601).</param>
/// <param name="DateUnpinned">When it was unpinned (<c>date_unpinned</c>), <c>null</c> while pinned.</param>
/// <param name="Metadata">The name and key-values stored with the pin.</param>
/// <param name="Regions">Where Pinata holds copies; <c>null</c> when not sent.</param>
public sealed record PinRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("ipfs_pin_hash")] string IpfsPinHash,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("date_pinned")] DateTimeOffset? DatePinned,
    [property: JsonPropertyName("date_unpinned")] DateTimeOffset? DateUnpinned,
    [property: JsonPropertyName("metadata")] PinRecordMetadata? Metadata,
    [property: JsonPropertyName("regions")] IReadOnlyList<PinRegion>? Regions = null);
