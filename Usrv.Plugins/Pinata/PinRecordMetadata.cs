using System.Text.Json;
using System.Text.Json.Serialization;

namespace Usrv.Plugins.Pinata;

/// <summary>The metadata of a <c>data/pinList</c> row, as Pinata stored it: <c>{"name": ..., "keyvalues": {...}}</c>.</summary>
/// <param name="Name">The pin's name, or <c>null</c>.</param>
/// <param name="KeyValues">The custom key-values as JSON values (strings, numbers...), or <c>null</c> when there are none.</param>
public sealed record PinRecordMetadata(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("keyvalues")] IReadOnlyDictionary<string, JsonElement>? KeyValues);
