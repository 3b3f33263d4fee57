using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Usrv.Route.Client;

/// <summary>Encodes a <see cref="PeerCall"/>'s values as a query string or a body (JSON, form-urlencoded, multipart).</summary>
internal static class PeerRequestEncoder
{
    /// <summary>Formats one value as query text: invariant culture, <c>true</c>/<c>false</c>, ISO 8601 dates.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The query (with its leading <c>?</c>, or empty): sequences repeat their name, in order.</summary>
    public static string Query(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in values)
        {
            foreach (var item in Items(value))
            {
                query.Append(query.Length == 0 ? '?' : '&')
                    .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(Format(item)));
            }
        }
        return query.ToString();
    }

    /// <summary>
    /// The body of a call with values, in <paramref name="encoding"/>; a lone <see cref="FormData"/> value is sent as it is.
    /// </summary>
    public static HttpContent Body(IReadOnlyList<KeyValuePair<string, object?>> values, BodyEncoding encoding)
    {
        if (values.Count == 1 && values[0].Value is FormData only) return only.ToContent();
        if (encoding == BodyEncoding.Multipart || values.Any(v => v.Value is FormData or FileInfo or Stream))
            return Multipart(values).ToContent();
        if (encoding == BodyEncoding.Form)
        {
            return new FormUrlEncodedContent(
                values.SelectMany(v => Items(v.Value).Select(item => new KeyValuePair<string, string>(v.Key, Format(item)))));
        }
        var json = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in values) json[name] = value;
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(json, UsrvJson.Options));
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static FormData Multipart(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var form = new FormData();
        foreach (var (name, value) in values)
        {
            switch (value)
            {
                case FormData inner:
                    throw new ArgumentException($"'{name}': a FormData must be the only value of a call");
                case FileInfo file:
                    form.AddFile(name, file.FullName);
                    break;
                case Stream stream:
                    form.AddFile(name, stream, name);
                    break;
                case byte[] bytes:
                    form.AddFile(name, bytes, name);
                    break;
                case null or string or bool or IFormattable:
                    form.Add(name, Format(value));
                    break;
                default:
                    form.AddJson(name, value);
                    break;
            }
        }
        return form;
    }

    private static IEnumerable<object?> Items(object? value) =>
        value is IEnumerable sequence and not string and not byte[] ? sequence.Cast<object?>() : [value];
}
