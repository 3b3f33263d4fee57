using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Usrv.Route;

namespace Usrv.Plugins.Tests;

/// <summary>
/// An imitation of Pinata's pinning API written as usrv bindings, checking what the real API checks:
/// <list type="bullet">
/// <item>Every endpoint: <c>Authorization: Bearer JWT</c>. No credentials at all: 400
/// <c>{"error":{"reason":"KEYS_MUST_BE_STRINGS",...}}</c>; a wrong or malformed one: 401
/// <c>{"error":{"reason":"INVALID_CREDENTIALS","details":"Invalid/expired credentials"}}</c> (as api.pinata.cloud answers).</item>
/// <item><c>POST /pinning/pinFileToIPFS</c>: a multipart body with a <c>file</c> part (else 400
/// <c>{"error":"Invalid request format."}</c>); the text parts <c>pinataOptions</c> (<c>cidVersion</c> 0 or 1) and
/// <c>pinataMetadata</c> (<c>name</c>, <c>keyvalues</c>) parsed as JSON. The CID is the content's real CIDv1 (raw leaves)
/// or a <c>Qm</c> CIDv0, so the answer shows which <c>cidVersion</c> was sent; the metadata shows in <c>data/pinList</c>.</item>
/// <item><c>POST /pinning/pinJSONToIPFS</c>: a JSON body with <c>pinataContent</c>, optional <c>pinataOptions</c> and <c>pinataMetadata</c>.</item>
/// <item><c>PUT /pinning/hashMetadata</c>: <c>ipfsPinHash</c> of a pin of this account (else 400
/// <c>CURRENT_USER_HAS_NOT_PINNED_CID</c>); name replaced, key-values merged, a <c>null</c> value removing its key; answers <c>OK</c>.</item>
/// <item><c>DELETE /pinning/unpin/&lt;cid&gt;</c>: a CID pinned by this account (else 400 <c>CURRENT_USER_HAS_NOT_PINNED_CID</c>); answers <c>OK</c>.</item>
/// <item><c>GET /data/pinList</c>: Pinata's filters (status, hashContains, pinStart/pinEnd, unpinStart/unpinEnd, pinSizeMin/Max,
/// pageLimit 1-1000 default 10, pageOffset, includeCount, metadata[name], metadata[keyvalues] with Pinata's ops), newest first.</item>
/// </list>
/// </summary>
public sealed class PinataImitation
{
    private readonly string _jwt;
    private readonly TimeProvider _clock;
    private readonly List<PinEntry> _pins = [];
    private readonly object _lock = new();
    private int _requests;

    /// <summary>A pin kept by the imitation.</summary>
    public sealed class PinEntry
    {
        public required string Id { get; init; }
        public required string Cid { get; init; }
        public required long Size { get; init; }
        public required DateTimeOffset DatePinned { get; init; }
        public DateTimeOffset? DateUnpinned { get; set; }
        public string? Name { get; set; }
        public Dictionary<string, JsonElement> KeyValues { get; } = new(StringComparer.Ordinal);
        public required int CidVersion { get; init; }
        public bool? WrapWithDirectory { get; init; }
        public string? FileName { get; init; }
        public string? FileContentType { get; init; }
    }

    /// <summary>Creates the imitation of an account whose API key has <paramref name="jwt"/>.</summary>
    /// <param name="jwt">The JWT the imitation accepts.</param>
    /// <param name="clock">The clock of pin times; the system clock when <c>null</c>.</param>
    /// <param name="prefix">A path prefix for every endpoint, e.g. <c>/pinata</c> (none by default).</param>
    public PinataImitation(string jwt, TimeProvider? clock = null, string prefix = "")
    {
        _jwt = jwt;
        _clock = clock ?? TimeProvider.System;
        Router = new Router()
            .Bind(prefix + "/pinning/pinFileToIPFS", (UsrvRequest request, FormData? form) => PinFile(request, form), "POST")
            .Bind(prefix + "/pinning/pinJSONToIPFS", (UsrvRequest request, string? data) => PinJson(request, data), "POST")
            .Bind(prefix + "/pinning/hashMetadata", (UsrvRequest request, string? data) => HashMetadata(request, data), "PUT")
            .Bind(prefix + "/pinning/unpin/<cid>", (UsrvRequest request, string cid) => Unpin(request, cid), "DELETE")
            .Bind(prefix + "/data/pinList", (UsrvRequest request) => PinList(request));
    }

    /// <summary>The bindings to serve.</summary>
    public Router Router { get; }

    /// <summary>Requests received by any endpoint.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The pins, oldest first.</summary>
    public IReadOnlyList<PinEntry> Pins
    {
        get { lock (_lock) return [.. _pins]; }
    }

    private Reply PinFile(UsrvRequest request, FormData? form)
    {
        if (Refuse(request) is { } refused) return refused;
        if (form?.Get("file") is not { IsFile: true } file) return InvalidRequestFormat();
        if (!TryOptions(form["pinataOptions"], out var cidVersion, out var wrap)) return InvalidRequestFormat();
        if (!TryMetadata(form["pinataMetadata"], out var name, out var keyValues)) return InvalidRequestFormat();
        return Pin(file.ReadAllBytes(), cidVersion, wrap, name ?? file.FileName, keyValues, file.FileName, file.ContentType);
    }

    private Reply PinJson(UsrvRequest request, string? data)
    {
        if (Refuse(request) is { } refused) return refused;
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase)) return InvalidRequestFormat();
        try
        {
            using var body = JsonDocument.Parse(data ?? "");
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("pinataContent", out var content)
                || content.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return InvalidRequestFormat();
            var options = root.TryGetProperty("pinataOptions", out var o) ? o.GetRawText() : null;
            var metadata = root.TryGetProperty("pinataMetadata", out var m) ? m.GetRawText() : null;
            if (!TryOptions(options, out var cidVersion, out var wrap)) return InvalidRequestFormat();
            if (!TryMetadata(metadata, out var name, out var keyValues)) return InvalidRequestFormat();
            return Pin(Encoding.UTF8.GetBytes(content.GetRawText()), cidVersion, wrap, name, keyValues, null, null);
        }
        catch (JsonException)
        {
            return InvalidRequestFormat();
        }
    }

    private Reply HashMetadata(UsrvRequest request, string? data)
    {
        if (Refuse(request) is { } refused) return refused;
        try
        {
            using var body = JsonDocument.Parse(data ?? "");
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ipfsPinHash", out var hash) || hash.ValueKind != JsonValueKind.String)
                return InvalidRequestFormat();
            lock (_lock)
            {
                var pin = _pins.LastOrDefault(p => p.Cid == hash.GetString() && p.DateUnpinned is null);
                if (pin is null) return NotPinned(hash.GetString()!);
                if (root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String) pin.Name = name.GetString();
                if (root.TryGetProperty("keyvalues", out var keyValues) && keyValues.ValueKind == JsonValueKind.Object)
                {
                    foreach (var pair in keyValues.EnumerateObject())
                    {
                        if (pair.Value.ValueKind == JsonValueKind.Null) pin.KeyValues.Remove(pair.Name);
                        else pin.KeyValues[pair.Name] = pair.Value.Clone();
                    }
                }
            }
            return Reply.Text(200, "OK");
        }
        catch (JsonException)
        {
            return InvalidRequestFormat();
        }
    }

    private Reply Unpin(UsrvRequest request, string cid)
    {
        if (Refuse(request) is { } refused) return refused;
        lock (_lock)
        {
            var pin = _pins.LastOrDefault(p => p.Cid == cid && p.DateUnpinned is null);
            if (pin is null) return NotPinned(cid);
            pin.DateUnpinned = _clock.GetUtcNow();
        }
        return Reply.Text(200, "OK");
    }

    private Reply PinList(UsrvRequest request)
    {
        if (Refuse(request) is { } refused) return refused;
        int question = request.Target.IndexOf('?');
        var query = QueryString.Parse(question < 0 ? "" : request.Target.AsSpan(question + 1));
        IEnumerable<PinEntry> rows;
        lock (_lock) rows = [.. _pins];
        rows = rows.Reverse(); // newest first

        switch (query.Last("status") ?? "all")
        {
            case "all": break;
            case "pinned": rows = rows.Where(p => p.DateUnpinned is null); break;
            case "unpinned": rows = rows.Where(p => p.DateUnpinned is not null); break;
            default: return InvalidRequestFormat();
        }
        if (query.Last("hashContains") is { } part) rows = rows.Where(p => p.Cid.Contains(part, StringComparison.Ordinal));
        if (!TryDate(query.Last("pinStart"), out var pinStart) || !TryDate(query.Last("pinEnd"), out var pinEnd)
            || !TryDate(query.Last("unpinStart"), out var unpinStart) || !TryDate(query.Last("unpinEnd"), out var unpinEnd))
            return InvalidRequestFormat();
        if (pinStart is { } a) rows = rows.Where(p => p.DatePinned >= a);
        if (pinEnd is { } b) rows = rows.Where(p => p.DatePinned <= b);
        if (unpinStart is { } c) rows = rows.Where(p => p.DateUnpinned >= c);
        if (unpinEnd is { } d) rows = rows.Where(p => p.DateUnpinned <= d);
        if (query.Last("pinSizeMin") is { } min)
        {
            if (!long.TryParse(min, out var least)) return InvalidRequestFormat();
            rows = rows.Where(p => p.Size >= least);
        }
        if (query.Last("pinSizeMax") is { } max)
        {
            if (!long.TryParse(max, out var most)) return InvalidRequestFormat();
            rows = rows.Where(p => p.Size <= most);
        }
        if (query.Last("metadata[name]") is { } name) rows = rows.Where(p => p.Name is not null && p.Name.Contains(name, StringComparison.Ordinal));
        if (query.Last("metadata[keyvalues]") is { } conditions)
        {
            try
            {
                using var json = JsonDocument.Parse(conditions);
                var parsed = json.RootElement.EnumerateObject().Select(c => (c.Name, Condition: c.Value.Clone())).ToList();
                rows = rows.Where(p => parsed.All(c => Matches(p, c.Name, c.Condition)));
                rows = [.. rows]; // evaluate while the conditions are valid
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
            {
                return InvalidRequestFormat();
            }
        }
        int limit = 10, offset = 0;
        if (query.Last("pageLimit") is { } l && !(int.TryParse(l, out limit) && limit is >= 1 and <= 1000)) return InvalidRequestFormat();
        if (query.Last("pageOffset") is { } o && !(int.TryParse(o, out offset) && offset >= 0)) return InvalidRequestFormat();
        var all = rows.ToList();
        var page = all.Skip(offset).Take(limit).Select(Row).ToList();
        return query.Last("includeCount") == "false"
            ? WireJson.Json(200, new Dictionary<string, object?> { ["rows"] = page })
            : WireJson.Json(200, new Dictionary<string, object?> { ["count"] = all.Count, ["rows"] = page });
    }

    private Reply Pin(byte[] content, int cidVersion, bool? wrap, string? name, Dictionary<string, JsonElement> keyValues, string? fileName, string? contentType)
    {
        var cid = Cid.Of(content, cidVersion);
        var now = _clock.GetUtcNow();
        bool duplicate;
        lock (_lock)
        {
            duplicate = _pins.Any(p => p.Cid == cid && p.DateUnpinned is null);
            if (!duplicate)
            {
                var pin = new PinEntry
                {
                    Id = Guid.NewGuid().ToString(), Cid = cid, Size = content.Length, DatePinned = now, Name = name,
                    CidVersion = cidVersion, WrapWithDirectory = wrap, FileName = fileName, FileContentType = contentType,
                };
                foreach (var (key, value) in keyValues) pin.KeyValues[key] = value;
                _pins.Add(pin);
            }
        }
        return WireJson.Json(200, new Dictionary<string, object?>
        {
            ["IpfsHash"] = cid,
            ["PinSize"] = content.Length,
            ["Timestamp"] = Iso(now),
            ["isDuplicate"] = duplicate,
        });
    }

    private static Dictionary<string, object?> Row(PinEntry pin) => new()
    {
        ["id"] = pin.Id,
        ["ipfs_pin_hash"] = pin.Cid,
        ["size"] = pin.Size,
        ["user_id"] = "imitation-user",
        ["date_pinned"] = Iso(pin.DatePinned),
        ["date_unpinned"] = pin.DateUnpinned is { } unpinned ? Iso(unpinned) : null,
        ["metadata"] = new Dictionary<string, object?> { ["name"] = pin.Name, ["keyvalues"] = pin.KeyValues.Count == 0 ? null : pin.KeyValues },
        ["regions"] = new[] { new Dictionary<string, object?> { ["regionId"] = "FRA1", ["currentReplicationCount"] = 1, ["desiredReplicationCount"] = 1 } },
    };

    private Reply? Refuse(UsrvRequest request)
    {
        Interlocked.Increment(ref _requests);
        var authorization = request.Headers["Authorization"];
        if (string.IsNullOrEmpty(authorization))
            return Error(400, "KEYS_MUST_BE_STRINGS", "pinata_api_key and pinata_secret_api_key must both be strings");
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(_jwt)))
            return Error(401, "INVALID_CREDENTIALS", "Invalid/expired credentials");
        return null;
    }

    private static bool TryOptions(string? json, out int cidVersion, out bool? wrap)
    {
        cidVersion = 0; // Pinata's own default when no pinataOptions are sent
        wrap = null;
        if (json is null) return true;
        try
        {
            using var options = JsonDocument.Parse(json);
            if (options.RootElement.ValueKind != JsonValueKind.Object) return false;
            if (options.RootElement.TryGetProperty("cidVersion", out var version))
            {
                cidVersion = version.ValueKind == JsonValueKind.String ? int.Parse(version.GetString()!, CultureInfo.InvariantCulture) : version.GetInt32();
                if (cidVersion is not (0 or 1)) return false;
            }
            if (options.RootElement.TryGetProperty("wrapWithDirectory", out var w)) wrap = w.GetBoolean();
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryMetadata(string? json, out string? name, out Dictionary<string, JsonElement> keyValues)
    {
        name = null;
        keyValues = new(StringComparer.Ordinal);
        if (json is null) return true;
        try
        {
            using var metadata = JsonDocument.Parse(json);
            if (metadata.RootElement.ValueKind != JsonValueKind.Object) return false;
            if (metadata.RootElement.TryGetProperty("name", out var n)) name = n.GetString();
            if (metadata.RootElement.TryGetProperty("keyvalues", out var kv) && kv.ValueKind == JsonValueKind.Object)
            {
                foreach (var pair in kv.EnumerateObject()) keyValues[pair.Name] = pair.Value.Clone();
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Matches(PinEntry pin, string key, JsonElement condition)
    {
        if (!pin.KeyValues.TryGetValue(key, out var stored)) return false;
        var value = condition.GetProperty("value");
        var op = condition.GetProperty("op").GetString();
        string text = Text(stored);
        return op switch
        {
            "eq" => Compare(stored, value) == 0,
            "ne" => Compare(stored, value) != 0,
            "gt" => Compare(stored, value) > 0,
            "gte" => Compare(stored, value) >= 0,
            "lt" => Compare(stored, value) < 0,
            "lte" => Compare(stored, value) <= 0,
            "between" => Compare(stored, value) >= 0 && Compare(stored, condition.GetProperty("secondValue")) <= 0,
            "notBetween" => !(Compare(stored, value) >= 0 && Compare(stored, condition.GetProperty("secondValue")) <= 0),
            "like" => Like(text, Text(value), RegexOptions.None),
            "notLike" => !Like(text, Text(value), RegexOptions.None),
            "iLike" => Like(text, Text(value), RegexOptions.IgnoreCase),
            "notILike" => !Like(text, Text(value), RegexOptions.IgnoreCase),
            "regexp" => Regex.IsMatch(text, Text(value), RegexOptions.None, TimeSpan.FromSeconds(1)),
            "iRegexp" => Regex.IsMatch(text, Text(value), RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)),
            _ => throw new ArgumentException($"unknown op {op}"),
        };
    }

    private static int Compare(JsonElement stored, JsonElement wanted) =>
        stored.ValueKind == JsonValueKind.Number && wanted.ValueKind == JsonValueKind.Number
            ? stored.GetDouble().CompareTo(wanted.GetDouble())
            : string.CompareOrdinal(Text(stored), Text(wanted));

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    // SQL LIKE: % any run, _ one character.
    private static bool Like(string text, string pattern, RegexOptions options) =>
        Regex.IsMatch(text, "^" + Regex.Escape(pattern).Replace("%", ".*").Replace("_", ".") + "$", options | RegexOptions.Singleline, TimeSpan.FromSeconds(1));

    private static bool TryDate(string? text, out DateTimeOffset? date)
    {
        date = null;
        if (text is null) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        date = parsed;
        return true;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Reply Error(int status, string reason, string details) =>
        WireJson.Json(status, new Dictionary<string, object?> { ["error"] = new Dictionary<string, object?> { ["reason"] = reason, ["details"] = details } });

    private static Reply NotPinned(string cid) => Error(400, "CURRENT_USER_HAS_NOT_PINNED_CID", $"The current user has not pinned the cid: {cid}");

    private static Reply InvalidRequestFormat() => WireJson.Json(400, new Dictionary<string, object?> { ["error"] = "Invalid request format." });
}
