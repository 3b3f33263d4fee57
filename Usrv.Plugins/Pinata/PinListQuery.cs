using System.Globalization;
using System.Text.Json.Nodes;

namespace Usrv.Plugins.Pinata;

/// <summary>
/// The filters of <c>GET data/pinList</c> (Pinata API reference, "Query Files"); unset members are not sent.
/// Dates go as ISO 8601 UTC with milliseconds (<c>2019-01-01T00:00:00.000Z</c>), as Pinata's SDK sends them.
/// </summary>
/// <example><code>
/// var page = await pinata.ListPinsAsync(new PinListQuery
/// {
///     Status = PinStatusFilter.Pinned,
///     MetadataName = "report",
///     MetadataKeyValues = new Dictionary&lt;string, PinataKeyValueFilter&gt; { ["year"] = new(2024, "gte") },
///     PageLimit = 50,
/// });
/// </code></example>
public sealed class PinListQuery
{
    /// <summary><c>status</c>: all (Pinata's default), pinned or unpinned records.</summary>
    public PinStatusFilter? Status { get; init; }

    /// <summary><c>hashContains</c>: only CIDs that contain these characters.</summary>
    public string? HashContains { get; init; }

    /// <summary><c>pinStart</c>: leave out records pinned before this time.</summary>
    public DateTimeOffset? PinStart { get; init; }

    /// <summary><c>pinEnd</c>: leave out records pinned after this time.</summary>
    public DateTimeOffset? PinEnd { get; init; }

    /// <summary><c>unpinStart</c>: leave out records unpinned before this time.</summary>
    public DateTimeOffset? UnpinStart { get; init; }

    /// <summary><c>unpinEnd</c>: leave out records unpinned after this time.</summary>
    public DateTimeOffset? UnpinEnd { get; init; }

    /// <summary><c>pinSizeMin</c>: smallest pin size in bytes.</summary>
    public long? PinSizeMin { get; init; }

    /// <summary><c>pinSizeMax</c>: largest pin size in bytes.</summary>
    public long? PinSizeMax { get; init; }

    /// <summary><c>pageLimit</c>: records per page, 1 to 1000 (Pinata's default: 10).</summary>
    public int? PageLimit { get; init; }

    /// <summary><c>pageOffset</c>: records to skip, 0 or more (Pinata's default: 0).</summary>
    public int? PageOffset { get; init; }

    /// <summary>
    /// <c>includeCount</c>: <c>false</c> skips counting all matches (faster; <see cref="PinList.Count"/> is then <c>null</c>).
    /// </summary>
    public bool? IncludeCount { get; init; }

    /// <summary><c>metadata[name]</c>: only pins whose name contains this text.</summary>
    public string? MetadataName { get; init; }

    /// <summary><c>metadata[keyvalues]</c>: conditions on the custom key-values, by key, all of which must hold.</summary>
    public IReadOnlyDictionary<string, PinataKeyValueFilter>? MetadataKeyValues { get; init; }

    /// <summary>The query pairs in the order Pinata's SDK sends them.</summary>
    /// <exception cref="ArgumentException">A value is out of the documented range, or a key-value condition is malformed.</exception>
    internal List<KeyValuePair<string, object?>> ToQuery()
    {
        var query = new List<KeyValuePair<string, object?>>();
        void Add(string name, string? value)
        {
            if (value is not null) query.Add(new(name, value));
        }
        Add("includeCount", IncludeCount is { } count ? (count ? "true" : "false") : null);
        Add("hashContains", HashContains);
        Add("pinStart", Date(PinStart));
        Add("pinEnd", Date(PinEnd));
        Add("unpinStart", Date(UnpinStart));
        Add("unpinEnd", Date(UnpinEnd));
        if (PinSizeMin < 0)
            throw new ArgumentException($"PinSizeMin is {PinSizeMin}: a size is 0 or more bytes (data/pinList)", nameof(PinSizeMin));
        if (PinSizeMax < 0)
            throw new ArgumentException($"PinSizeMax is {PinSizeMax}: a size is 0 or more bytes (data/pinList)", nameof(PinSizeMax));
        Add("pinSizeMin", PinSizeMin?.ToString(CultureInfo.InvariantCulture));
        Add("pinSizeMax", PinSizeMax?.ToString(CultureInfo.InvariantCulture));
        Add("status", Status switch
        {
            null => null,
            PinStatusFilter.All => "all",
            PinStatusFilter.Pinned => "pinned",
            PinStatusFilter.Unpinned => "unpinned",
            _ => throw new ArgumentException($"unknown status filter {Status}", nameof(Status)),
        });
        if (PageLimit is < 1 or > 1000)
        {
            throw new ArgumentException(
                $"PageLimit is {PageLimit}: Pinata takes 1 to 1000 records per page (data/pinList)",
                nameof(PageLimit));
        }
        if (PageOffset < 0) throw new ArgumentException($"PageOffset is {PageOffset}: it is 0 or more (data/pinList)", nameof(PageOffset));
        Add("pageLimit", PageLimit?.ToString(CultureInfo.InvariantCulture));
        Add("pageOffset", PageOffset?.ToString(CultureInfo.InvariantCulture));
        Add("metadata[name]", MetadataName);
        if (MetadataKeyValues is { Count: > 0 } conditions)
        {
            var json = new JsonObject();
            foreach (var (key, condition) in conditions) json[key] = Condition(key, condition);
            Add("metadata[keyvalues]", json.ToJsonString());
        }
        return query;
    }

    private static string? Date(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Condition(string key, PinataKeyValueFilter condition)
    {
        if (!PinataKeyValueFilter.Ops.Contains(condition.Op))
        {
            throw new ArgumentException(
                $"key-value filter '{key}': '{condition.Op}' is not an op Pinata knows ({string.Join(", ", PinataKeyValueFilter.Ops)})",
                nameof(MetadataKeyValues));
        }
        var json = new JsonObject { ["value"] = Value(key, condition.Value), ["op"] = condition.Op };
        if (condition.Op is "between" or "notBetween")
        {
            if (condition.SecondValue is null)
            {
                throw new ArgumentException(
                    $"key-value filter '{key}': '{condition.Op}' needs a SecondValue (data/pinList, Metadata Querying)",
                    nameof(MetadataKeyValues));
            }
            json["secondValue"] = Value(key, condition.SecondValue);
        }
        return json;
    }

    private static JsonNode Value(string key, object? value) => value switch
    {
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        DateTimeOffset time => JsonValue.Create(Date(time)!),
        DateTime time => JsonValue.Create(Date(new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero))!),
        sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            System.Text.Json.JsonSerializer.SerializeToNode(value, value.GetType())!,
        _ => throw new ArgumentException(
            $"key-value filter '{key}': a value is a string, a number, a boolean or a date, not {value?.GetType().Name ?? "null"}",
            nameof(MetadataKeyValues)),
    };
}
