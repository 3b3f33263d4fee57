namespace Usrv.Crypto;

/// <summary>
/// The one failure type of <see cref="UsrvEnvelope"/>'s Open methods and of <see cref="ReplayGuard"/>:
/// an HTTP status (usrv/1, DESIGN §5) and a detail text fit for an RFC 9457 problem response.
/// </summary>
/// <remarks>
/// Statuses: 400 malformed header, key, base64 or body, or a body not sealed for this key or altered;
/// 401 signature does not verify or the response came from another key; 412 stale, future, unparseable
/// or replayed nonce (usrv); 415 unknown <c>Usrv-Cipher</c> or usrv 0.4's scheme; 503 the replay store is full.
/// The message never contains secret material.
/// </remarks>
public sealed class EnvelopeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status to answer with (400, 401, 412, 415 or 503).</param>
    /// <param name="detail">RFC 9457 detail: what is wrong and, where it helps, what to do.</param>
    public EnvelopeException(int status, string detail)
        : base(detail)
    {
        Status = status;
    }

    /// <summary>The HTTP status code to answer with (400, 401, 412, 415 or 503).</summary>
    public int Status { get; }
}
