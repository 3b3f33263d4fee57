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
        ArgumentNullException.ThrowIfNull(nonce);
        return Encoding.UTF8.GetBytes(
            "usrv/2 request\n" + Method + "\n" + Authority.ToLowerInvariant() + "\n" + Target + "\n" + nonce + "\n"
            + (ContentType ?? ""));
    }
}
