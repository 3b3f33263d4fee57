using System.Text.Json.Serialization;

namespace Usrv.Plugins.Pinata;

/// <summary>
/// Pinata's <c>pinataMetadata</c>: a name and custom key-values stored by Pinata beside a pin (not on IPFS), used to
/// query pins later (<c>data/pinList</c> with <c>metadata[name]</c> and <c>metadata[keyvalues]</c>).
/// Sent as <c>{"name": ..., "keyvalues": {...}}</c>; <c>null</c> members are left out.
/// </summary>
/// <param name="Name">
/// The pin's name. When pinning a file without one, Pinata names the pin after the uploaded file
/// (Pinata API reference, <c>pinning/pinFileToIPFS</c>, "Pinata Metadata").
/// </param>
/// <param name="KeyValues">
/// Custom key-values: strings, numbers or dates (ISO 8601); Pinata documents a limit of 10 pairs.
/// In <see cref="PinataClient.UpdateMetadataAsync"/> a <c>null</c> value removes that key (<c>pinning/hashMetadata</c>).
/// </param>
public sealed record PinataMetadata(
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("keyvalues")] IReadOnlyDictionary<string, object?>? KeyValues = null);
