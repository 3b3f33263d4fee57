using System.Text.Json;

namespace Usrv.Route.Client;

/// <summary>
/// Turns JSON into plain .NET values, as Python's <c>json.loads</c> gives usrv's client: objects become
/// <c>Dictionary&lt;string, object?&gt;</c>, arrays <c>List&lt;object?&gt;</c>, integers <c>long</c>, other numbers
/// <c>double</c>, and strings, booleans and null themselves. Friendly to <c>dynamic</c> code.
/// </summary>
public static class PlainJson
{
    /// <summary>Parses UTF-8 JSON into plain values.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static object? Parse(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return ToPlain(document.RootElement);
    }

    /// <summary>Converts one JSON element into plain values.</summary>
    public static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? (object)integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
