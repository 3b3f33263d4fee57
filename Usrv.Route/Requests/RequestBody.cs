using System.Text;

namespace Usrv.Route;

/// <summary>
/// Reads a request body into memory within a size limit, and turns it into usrv's <c>data</c>
/// value: text for text-like and JSON bodies, bytes otherwise, <c>null</c> when empty.
/// </summary>
public static class RequestBody
{
    /// <summary>Reads the whole body.</summary>
    /// <param name="request">The request.</param>
    /// <param name="limit">Maximum body size in bytes.</param>
    /// <exception cref="ProblemException">413 when the body is larger than <paramref name="limit"/>;
    /// 400 when the client sends less than its <c>Content-Length</c> or the connection fails mid-body.</exception>
    public static async ValueTask<byte[]> ReadAsync(UsrvRequest request, long limit)
    {
        if (request.ContentLength is long declared)
        {
            if (declared > limit) throw BodyProblems.TooLarge(limit);
            if (declared == 0) return [];
        }
        var buffer = new MemoryStream(request.ContentLength is long known ? (int)known : 0);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.Aborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit) throw BodyProblems.TooLarge(limit);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception e) when (
            e is IOException or ObjectDisposedException or InvalidOperationException && !request.Aborted.IsCancellationRequested)
        {
            throw BodyProblems.Incomplete();
        }
        if (request.ContentLength is long expected && buffer.Length != expected)
        {
            throw BodyProblems.LengthMismatch(buffer.Length, expected);
        }
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    /// <summary>
    /// usrv's <c>data</c>: <c>null</c> for an empty body, a string for <c>text/*</c>, JSON, XML and
    /// form-urlencoded bodies (decoded with the declared charset, UTF-8 by default), the bytes otherwise.
    /// </summary>
    public static object? ToData(byte[] body, string? contentType)
    {
        if (body.Length == 0) return null;
        return IsTextLike(contentType) ? DecodeText(body, contentType) : body;
    }

    /// <summary>
    /// True for media types whose body is text: <c>text/*</c>, <c>application/json</c>, <c>*+json</c>, <c>*/xml</c>,
    /// <c>*+xml</c>, form-urlencoded, JavaScript.
    /// </summary>
    public static bool IsTextLike(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = MediaType(contentType);
        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("/xml", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/javascript", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decodes text with the <c>charset</c> of <paramref name="contentType"/> (UTF-8 when absent or unknown).</summary>
    public static string DecodeText(byte[] body, string? contentType)
    {
        var encoding = Encoding.UTF8;
        if (contentType is not null
            && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && parsed.Charset.HasValue)
        {
            try { encoding = Encoding.GetEncoding(parsed.Charset.Value!); }
            catch (ArgumentException) { /* unknown charset: UTF-8, as browsers do */ }
        }
        return encoding.GetString(body);
    }

    private static ReadOnlySpan<char> MediaType(string contentType)
    {
        var span = contentType.AsSpan();
        int semicolon = span.IndexOf(';');
        return (semicolon < 0 ? span : span[..semicolon]).Trim();
    }
}
