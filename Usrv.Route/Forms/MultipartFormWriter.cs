using System.Net.Http.Headers;

namespace Usrv.Route;

/// <summary>
/// Encodes a <see cref="FormData"/> as a <c>multipart/form-data</c> body (RFC 7578) with System.Net.Http's
/// <see cref="MultipartFormDataContent"/>, which picks the boundary and writes each part's
/// <c>Content-Disposition: form-data; name=...; filename=...</c>.
/// </summary>
internal static class MultipartFormWriter
{
    /// <summary>
    /// The body to send: in-memory parts as bytes, file parts opened and read as the content is sent, a caller's stream
    /// read once and left open (<see cref="NonClosingStream"/>).
    /// </summary>
    public static MultipartFormDataContent ToContent(FormData form)
    {
        var content = new MultipartFormDataContent();
        foreach (var part in form.Parts)
        {
            HttpContent body = part.Bytes is { } bytes ? new ByteArrayContent(bytes)
                : part.FilePath is not null ? new StreamContent(part.OpenRead())
                : new StreamContent(new NonClosingStream(part.CallerStream!)); // the caller keeps its stream
            if (part.ContentType is not null) body.Headers.ContentType = MediaTypeHeaderValue.Parse(part.ContentType);
            if (part.FileName is null) content.Add(body, part.Name);
            else content.Add(body, part.Name, part.FileName);
        }
        return content;
    }

    /// <summary>The whole body as bytes with its <c>Content-Type</c> (boundary included): what sealing needs.</summary>
    public static async Task<(byte[] Body, string ContentType)> EncodeAsync(FormData form, CancellationToken cancellationToken)
    {
        using var content = ToContent(form);
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (body, content.Headers.ContentType!.ToString());
    }
}
