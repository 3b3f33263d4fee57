using System.Text.Json.Serialization;

namespace Usrv.Plugins.Pinata;

/// <summary>
/// Pinata's <c>pinataOptions</c> for <c>pinning/pinFileToIPFS</c> and <c>pinning/pinJSONToIPFS</c>
/// (Pinata API reference, "Pinata Options"). Sent as <c>{"cidVersion": 1}</c> by default; <c>null</c> members are left out.
/// </summary>
/// <param name="CidVersion">The CID version IPFS gives the content: 0 (<c>Qm...</c>) or 1 (<c>bafy...</c>, the default here).</param>
/// <param name="WrapWithDirectory">
/// Wrap the content in a directory, so that it can be fetched by file name; <c>null</c> leaves Pinata's default.
/// </param>
public sealed record PinataOptions(
    [property: JsonPropertyName("cidVersion")] int CidVersion = 1,
    [property: JsonPropertyName("wrapWithDirectory")] bool? WrapWithDirectory = null)
{
    /// <summary>The options sent when a call gives none: <c>{"cidVersion":1}</c>.</summary>
    public static PinataOptions Default { get; } = new();
}
