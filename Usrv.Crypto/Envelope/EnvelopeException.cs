namespace Usrv.Crypto;

/// <summary>
/// The one failure type of <see cref="UsrvEnvelope"/>'s Open methods and of <see cref="ReplayGuard"/>:
/// a <see cref="ProblemException"/> whose status is the one usrv/2 names for the failing step
/// (DESIGN, Sealed calls: the usrv/2 scheme) and whose detail is fit for an RFC 9457 problem response.
/// </summary>
/// <remarks>
/// Statuses, by usrv/2 step: a 415 another scheme (usrv/1's <c>Usrv-Cipher</c>, usrv 0.4's); b 400 a header missing
/// or malformed; c 400 a recipient key not in the ring; d 412 a nonce outside the window; e 401 the signature (or, on
/// the caller's side, an answer from another key); f 412 a replayed nonce, 503 the replay store is full; g 400 a body
/// that does not open.
/// The message never contains secret material.
/// </remarks>
public sealed class EnvelopeException : ProblemException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status to answer with (400, 401, 412, 415 or 503).</param>
    /// <param name="detail">RFC 9457 detail: what is wrong and, where it helps, what to do.</param>
    public EnvelopeException(int status, string detail)
        : base(status, detail)
    {
    }
}
