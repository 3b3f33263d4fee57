using Microsoft.Net.Http.Headers;

namespace Usrv.Route;

/// <summary>Parses a request's <c>Cookie</c> header (RFC 6265 section 5.4) with ASP.NET Core's <see cref="CookieHeaderValue"/>.</summary>
internal static class RequestCookies
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The cookies of <paramref name="header"/> (one or more <c>Cookie</c> headers, joined): values percent-decoded, the
    /// first of a repeated name kept, what does not parse left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Parse(string? header)
    {
        if (string.IsNullOrEmpty(header)) return None;
        if (!CookieHeaderValue.TryParseList([header], out var parsed) || parsed.Count == 0) return None;
        var cookies = new Dictionary<string, string>(parsed.Count, StringComparer.Ordinal);
        foreach (var cookie in parsed)
        {
            var name = cookie.Name.Value;
            if (string.IsNullOrEmpty(name)) continue;
            cookies.TryAdd(name, Unescape(cookie.Value.Value ?? ""));
        }
        return cookies;
    }

    // As ASP.NET Core's RequestCookieCollection: '+' is kept, %XX decoded; a malformed escape is left as it is.
    private static string Unescape(string value) => value.Contains('%') ? Uri.UnescapeDataString(value) : value;
}
