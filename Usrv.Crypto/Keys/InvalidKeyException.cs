namespace Usrv.Crypto;

/// <summary>
/// A key that is refused: wrong length, bad base64, a coordinate ≥ p, a point not on secp256k1, the point
/// at infinity, or a secret scalar outside [1, n-1] (SEC1 §2.3.4, §3.2.1; BIP340). The message says which.
/// </summary>
/// <remarks>Derives from <see cref="FormatException"/>: the key text or bytes are malformed input.</remarks>
public sealed class InvalidKeyException : FormatException
{
    /// <summary>Creates the exception with a message that says what is wrong with the key.</summary>
    /// <param name="message">What is wrong, e.g. "x-coordinate is not below the field size p".</param>
    public InvalidKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that revealed the problem.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public InvalidKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
