using System.Text.Json.Serialization;

namespace Usrv.Plugins.Pinata;

/// <summary>The answer of <c>data/pinList</c>: <c>{"count": 12, "rows": [...]}</c> (Pinata API reference, "Query Files").</summary>
/// <param name="Count">Records matching the filters over all pages; <c>null</c> when asked with <c>includeCount=false</c>.</param>
/// <param name="Rows">This page's records (at most <see cref="PinListQuery.PageLimit"/>, 10 by default).</param>
public sealed record PinList(
    [property: JsonPropertyName("count")] long? Count,
    [property: JsonPropertyName("rows")] IReadOnlyList<PinRecord> Rows);
