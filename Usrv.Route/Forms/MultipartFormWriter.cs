using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Usrv.Route;

/// <summary>
/// Encodes a <see cref="FormData"/> as a <c>multipart/form-data</c> body (RFC 7578) that usrv 0.4.3's
/// <c>FormData.decode</c> reads too (micro-server, <c>usrv/req.py</c>), in the form RFC 7578 section 4 shows:
/// a boundary of 32 lowercase hex digits (usrv 0.4.3 finds it with <c>--[0-9a-f]+</c> on the first line), quoted
/// <c>name="..."</c> and <c>filename="..."</c> (usrv 0.4.3 reads only quoted values), and the close delimiter
/// <c>--boundary--</c> as the last bytes (usrv 0.4.3 would read a CRLF after it into the last part).
/// </summary>
/// <remarks>
/// Each part: <c>--{boundary}\r\nContent-Disposition: form-data; name="{name}"[; filename="{file}"]\r\n</c>,
/// <c>Content-Type: {type}\r\n</c> when the part has one, <c>\r\n</c>, the content, <c>\r\n</c>. In names and file names,
/// <c>"</c>, CR and LF are written <c>%22</c>, <c>%0D</c> and <c>%0A</c> (WHATWG HTML, multipart/form-data encoding
/// algorithm; RFC 7578 section 4.2), other characters as UTF-8.
/// </remarks>
internal static class MultipartFormWriter
{
    /// <summary>
    /// The body to send: in-memory parts as bytes, file parts opened and read as the content is sent, a caller's stream
    /// read once and left open.
    /// </summary>
    public static HttpContent ToContent(FormData form) => new MultipartFormBody([.. form.Parts], NewBoundary());

    /// <summary>The whole body as bytes with its <c>Content-Type</c> (boundary included): what sealing needs.</summary>
    public static async Task<(byte[] Body, string ContentType)> EncodeAsync(FormData form, CancellationToken cancellationToken)
    {
        using var content = ToContent(form);
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (body, content.Headers.ContentType!.ToString());
    }

    /// <summary>A boundary of 32 lowercase hex digits from 16 random bytes (as usrv 0.4.3: <c>hexlify(os.urandom(16))</c>).</summary>
    public static string NewBoundary() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A name or file name as a quoted-string's content: <c>"</c>, CR and LF percent-encoded (WHATWG HTML).</summary>
    public static string Escape(string value) => value.Replace("\"", "%22", StringComparison.Ordinal)
        .Replace("\r", "%0D", StringComparison.Ordinal)
        .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>The reverse of <see cref="Escape"/>: <c>%22</c>, <c>%0D</c> and <c>%0A</c> (any case) back to their characters.</summary>
    public static string Unescape(string value) => !value.Contains('%', StringComparison.Ordinal) ? value
        : value.Replace("%22", "\"", StringComparison.OrdinalIgnoreCase)
            .Replace("%0D", "\r", StringComparison.OrdinalIgnoreCase)
            .Replace("%0A", "\n", StringComparison.OrdinalIgnoreCase);

    private sealed class MultipartFormBody : HttpContent
    {
        private readonly FormPart[] _parts;
        private readonly byte[][] _heads;
        private readonly byte[] _close;

        public MultipartFormBody(FormPart[] parts, string boundary)
        {
            _parts = parts;
            _heads = new byte[parts.Length][];
            for (int i = 0; i < parts.Length; i++)
            {
                var part = parts[i];
                var head = new StringBuilder(128)
                    .Append("--").Append(boundary).Append("\r\n")
                    .Append("Content-Disposition: form-data; name=\"").Append(Escape(part.Name)).Append('"');
                if (part.FileName is { } fileName) head.Append("; filename=\"").Append(Escape(fileName)).Append('"');
                head.Append("\r\n");
                if (part.ContentType is { } type) head.Append("Content-Type: ").Append(type).Append("\r\n");
                head.Append("\r\n");
                _heads[i] = Encoding.UTF8.GetBytes(head.ToString());
            }
            _close = Encoding.ASCII.GetBytes("--" + boundary + "--");
            var media = new MediaTypeHeaderValue("multipart/form-data");
            media.Parameters.Add(new NameValueHeaderValue("boundary", boundary));
            Headers.ContentType = media;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            for (int i = 0; i < _parts.Length; i++)
            {
                await stream.WriteAsync(_heads[i], cancellationToken).ConfigureAwait(false);
                var part = _parts[i];
                if (part.Bytes is { } bytes)
                {
                    await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                }
                else if (part.FilePath is not null)
                {
                    await using var file = part.OpenRead();
                    await file.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await part.CallerStream!.CopyToAsync(stream, cancellationToken).ConfigureAwait(false); // left open: the caller's
                }
                await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            await stream.WriteAsync(_close, cancellationToken).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _close.Length;
            for (int i = 0; i < _parts.Length; i++)
            {
                var size = _parts[i].Length;
                if (size < 0)
                {
                    length = 0;
                    return false;
                }
                length += _heads[i].Length + size + 2;
            }
            return true;
        }
    }
}
