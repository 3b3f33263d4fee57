using System.Security.Cryptography;

namespace Usrv.Crypto.Hpke;

/// <summary>
/// An HPKE failure (RFC 9180 §5 "Errors"): a public key that is not a valid point of the group
/// (<c>ValidationError</c>, §7.1.4), a secret key that is not a valid scalar, <c>DeriveKeyPairError</c> (§7.1.3),
/// an AEAD open that fails authentication (<c>OpenError</c>, §5.2), or the sequence number running out
/// (<c>MessageLimitReachedError</c>, §5.2). The message says which; it never contains key material.
/// </summary>
public sealed class HpkeException : CryptographicException
{
    /// <summary>Creates the exception with a message naming the failure.</summary>
    /// <param name="message">What failed, without secrets.</param>
    public HpkeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying BCL failure.</summary>
    /// <param name="message">What failed, without secrets.</param>
    /// <param name="inner">The exception thrown by the underlying primitive.</param>
    public HpkeException(string message, Exception inner) : base(message, inner) { }
}
