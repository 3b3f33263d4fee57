using System.Net.Http.Headers;
using System.Text.Json;

namespace Usrv.Route.Client;

/// <summary>
/// Decodes an answer's body by its media type into <see cref="PeerResponse.Value"/>, as usrv's client hands answers to
/// Python: JSON (<c>application/json</c>, <c>*+json</c>) as plain values (<see cref="PlainJson"/>; text when it does not
/// parse), form-urlencoded as a dictionary (the last value of a repeated name), multipart as a <see cref="FormData"/>,
/// text-like types (<see cref="RequestBody.IsTextLike"/>) as a string in their charset, anything else as the bytes;
/// an empty body as <c>null</c>.
/// </summary>
internal static class PeerResponseDecoder
{
    /// <summary>Decodes <paramref name="body"/>; a multipart body is read within <paramref name="limits"/>.</summary>
    /// <exception cref="ProblemException">A multipart body that is malformed (400) or over a limit (413).</exception>
    public static async ValueTask<object?> DecodeAsync(
        byte[] body, MediaTypeHeaderValue? type, MultipartLimits limits, CancellationToken cancellationToken)
    {
        var contentType = type?.ToString();
        if (body.Length > 0 && FormData.IsMultipart(contentType))
        {
            return await FormData.ReadAsync(new MemoryStream(body), contentType, limits, cancellationToken).ConfigureAwait(false);
        }
        return Decode(body, type);
    }

    /// <summary>Decodes <paramref name="body"/> without I/O: a multipart body stays bytes (reading it needs limits).</summary>
    public static object? Decode(byte[] body, MediaTypeHeaderValue? type)
    {
        if (body.Length == 0) return null;
        var contentType = type?.ToString();
        var media = type?.MediaType ?? "";
        if (IsJson(media))
        {
            try { return PlainJson.Parse(body); }
            catch (JsonException) { return RequestBody.DecodeText(body, contentType); }
        }
        if (media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return QueryString.Parse(RequestBody.DecodeText(body, contentType)).Pairs
                .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        }
        return RequestBody.IsTextLike(contentType) ? RequestBody.DecodeText(body, contentType) : body;
    }

    /// <summary>True for <c>application/json</c> and every <c>+json</c> type (RFC 6839), e.g. <c>application/problem+json</c>.</summary>
    public static bool IsJson(string? media) =>
        media is not null
        && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
