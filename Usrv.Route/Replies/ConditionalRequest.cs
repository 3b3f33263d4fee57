using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Usrv.Route;

/// <summary>
/// RFC 9110 section 13 for <c>GET</c> and <c>HEAD</c> answers (README, Conditional requests): <c>If-None-Match</c> (weak
/// comparison, <c>*</c>, lists) and, only when there is none, <c>If-Modified-Since</c> (section 13.2.2's order) turn a 200
/// into a 304 without a body that keeps the 200's headers but its representation metadata (section 15.4.5). Parsing is
/// ASP.NET Core's (<see cref="EntityTagHeaderValue"/>, <see cref="HeaderUtilities"/>).
/// </summary>
internal static class ConditionalRequest
{
    // Representation metadata a 304 does not repeat (RFC 9110 section 15.4.5); Last-Modified stays, it guides cache updates.
    private static readonly string[] Dropped =
    [
        HeaderNames.ContentType, HeaderNames.ContentLength, HeaderNames.ContentEncoding, HeaderNames.ContentLanguage,
        HeaderNames.ContentRange, HeaderNames.ContentDisposition, HeaderNames.AcceptRanges,
    ];

    /// <summary>True when <paramref name="method"/> is one whose answers are evaluated: <c>GET</c> or <c>HEAD</c>.</summary>
    public static bool Applies(string method) => method is "GET" or "HEAD";

    /// <summary>
    /// True for a sealed call (usrv/2, or usrv 0.4's scheme): its answer is sealed after the reply, so it is never 304'd,
    /// ranged, or given an ETag computed from its plaintext (README, Conditional requests).
    /// </summary>
    public static bool IsSealedCall(RequestHeaders headers) => EnvelopeStage.Applies(headers) || Usrv04Exchange.Applies(headers);

    /// <summary>True when <paramref name="headers"/> carry a condition evaluated here.</summary>
    public static bool HasCondition(RequestHeaders headers) =>
        headers[HeaderNames.IfNoneMatch] is not null || headers[HeaderNames.IfModifiedSince] is not null;

    /// <summary>
    /// True when the conditions of <paramref name="headers"/> hold for a representation of <paramref name="etag"/> and
    /// <paramref name="lastModified"/>, so that the answer is 304: RFC 9110 section 13.2.2, steps 3 and 4.
    /// </summary>
    /// <param name="headers">The request's headers.</param>
    /// <param name="etag">The representation's entity tag as sent (quoted), or <c>null</c>.</param>
    /// <param name="lastModified">The representation's <c>Last-Modified</c>, or <c>null</c>.</param>
    public static bool IsNotModified(RequestHeaders headers, string? etag, DateTimeOffset? lastModified)
    {
        if (headers[HeaderNames.IfNoneMatch] is { } ifNoneMatch)
        {
            // Section 13.1.2: a list, or "*"; weak comparison. A field that does not parse is ignored (no 304).
            if (!EntityTagHeaderValue.TryParseList(new StringValues(ifNoneMatch), out var tags)) return false;
            if (tags.Any(t => t.Tag.Equals("*", StringComparison.Ordinal))) return true;
            if (etag is null || !EntityTagHeaderValue.TryParse(etag, out var current)) return false;
            return tags.Any(t => t.Compare(current, useStrongComparison: false));
        }
        // Section 13.1.3: only without If-None-Match; an invalid date is ignored.
        if (lastModified is { } modified && headers[HeaderNames.IfModifiedSince] is { } since
            && HeaderUtilities.TryParseDate(since, out var sinceDate))
        {
            return modified <= sinceDate;
        }
        return false;
    }

    /// <summary>The value of the header <paramref name="name"/> among <paramref name="headers"/>, or <c>null</c>.</summary>
    public static string? Find(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var (key, value) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        }
        return null;
    }

    /// <summary>
    /// Answers <paramref name="ok"/> (a 200 of a GET or HEAD) with a 304 when the request's conditions hold for its
    /// <c>ETag</c> and <c>Last-Modified</c> headers; else returns it as it is.
    /// </summary>
    public static UsrvResponse Evaluate(RequestHeaders headers, UsrvResponse ok)
    {
        var etag = Find(ok.Headers, HeaderNames.ETag);
        var modifiedText = Find(ok.Headers, HeaderNames.LastModified);
        DateTimeOffset? modified = modifiedText is not null && HeaderUtilities.TryParseDate(modifiedText, out var date) ? date : null;
        if (etag is null && modified is null) return ok;
        if (!IsNotModified(headers, etag, modified)) return ok;
        ok.BodyStream?.Dispose();
        return NotModified(ok.Headers);
    }

    /// <summary>A 304 with <paramref name="headers"/> but the representation metadata (RFC 9110 section 15.4.5).</summary>
    public static UsrvResponse NotModified(IReadOnlyList<KeyValuePair<string, string>> headers) =>
        new(304, null, ReadOnlyMemory<byte>.Empty)
        {
            Headers = [.. headers.Where(h => !Dropped.Contains(h.Key, StringComparer.OrdinalIgnoreCase))],
        };

    /// <summary>
    /// A strong entity tag of <paramref name="body"/>: the first 16 bytes (128 bits) of its SHA-256 in base64url, quoted
    /// (24 characters in all).
    /// </summary>
    public static string StrongETagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return string.Concat("\"", System.Buffers.Text.Base64Url.EncodeToString(hash[..16]), "\"");
    }
}
