using System.Text.Json.Serialization;

namespace Usrv.Plugins.Pinata;

/// <summary>
/// The answer of <c>pinning/pinFileToIPFS</c> and <c>pinning/pinJSONToIPFS</c> (Pinata API reference):
/// <c>{"IpfsHash": "...", "PinSize": 123, "Timestamp": "2024-01-01T12:00:00Z", "isDuplicate": false}</c>.
/// </summary>
/// <param name="IpfsHash">The content's CID, e.g. <c>bafkrei...</c> (CIDv1) or <c>Qm...</c> (CIDv0).</param>
/// <param name="PinSize">The pinned size in bytes.</param>
/// <param name="Timestamp">When the content was pinned (ISO 8601 on the wire).</param>
/// <param name="IsDuplicate">True when this account had already pinned the same content; <c>null</c> when Pinata does not say.</param>
public sealed record PinResult(
    [property: JsonPropertyName("IpfsHash")] string IpfsHash,
    [property: JsonPropertyName("PinSize")] long PinSize,
    [property: JsonPropertyName("Timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("isDuplicate")] bool? IsDuplicate = null);
