using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// The parts of a request that usrv/2 binds (DESIGN, Sealed calls: the usrv/2 scheme; Request, step 3): both sides must give the
/// same text.
/// </summary>
/// <param name="Method">The HTTP method as sent, e.g. <c>POST</c> (case-sensitive, RFC 9110 §9.1).</param>
/// <param name="Authority">
/// The <c>Host</c> header (or HTTP/2 <c>:authority</c>), e.g. <c>127.0.0.1:5000</c>; lower-cased here.
/// </param>
/// <param name="Target">The request-target exactly as sent: path and query, still percent-encoded.</param>
/// <param name="ContentType">The <c>Content-Type</c> header exactly as sent, or null/empty when there is none.</param>
public sealed record RequestLine(string Method, string Authority, string Target, string? ContentType)
{
    /// <summary>
    /// <c>R = "usrv/2 request\n" + METHOD + "\n" + authority + "\n" + target + "\n" + nonce + "\n" + content-type</c>,
    /// UTF-8: the HPKE aad of the body and the first part of the signed digest.
    /// </summary>
    /// <param name="nonce">The request's <c>Nonce</c> text as sent.</param>
    /// <returns>The bytes of R.</returns>
    public byte[] Encode(string nonce)
    {
        var r = new byte[EncodedLength(nonce)];
        int written = EncodeTo(nonce, r);
        return written == r.Length ? r : r[..written];
    }

    /// <summary>The length in bytes of <see cref="Encode"/>'s answer.</summary>
    internal int EncodedLength(string nonce)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        var utf8 = Encoding.UTF8;
        return Prefix.Length + 4 + utf8.GetByteCount(Method) + utf8.GetByteCount(Authority.ToLowerInvariant()) + utf8.GetByteCount(Target)
            + utf8.GetByteCount(nonce) + utf8.GetByteCount(ContentType ?? "");
    }

    /// <summary>Writes R into <paramref name="destination"/> (of <see cref="EncodedLength"/> bytes at least), without
    /// building it as a string first: the server does this for every sealed request.</summary>
    /// <returns>The bytes written.</returns>
    internal int EncodeTo(string nonce, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        var utf8 = Encoding.UTF8;
        int at = 0;
        Prefix.CopyTo(destination);
        at += Prefix.Length;
        at += utf8.GetBytes(Method, destination[at..]);
        destination[at++] = (byte)'\n';
        // ToLowerInvariant returns the same string, unallocated, when the authority has no capitals (the usual case).
        at += utf8.GetBytes(Authority.ToLowerInvariant(), destination[at..]);
        destination[at++] = (byte)'\n';
        at += utf8.GetBytes(Target, destination[at..]);
        destination[at++] = (byte)'\n';
        at += utf8.GetBytes(nonce, destination[at..]);
        destination[at++] = (byte)'\n';
        at += utf8.GetBytes(ContentType ?? "", destination[at..]);
        return at;
    }

    private static ReadOnlySpan<byte> Prefix => "usrv/2 request\n"u8;
}
