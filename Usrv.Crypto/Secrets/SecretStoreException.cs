namespace Usrv.Crypto;

/// <summary>
/// A secret file that cannot be opened: wrong PIN, corrupted, truncated, not a usrv secret file, or an
/// unsupported version (<see cref="SecretStore"/>). The message says which; it never contains the secret or PIN.
/// </summary>
public sealed class SecretStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the file or PIN.</param>
    public SecretStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the failure that revealed the problem.</summary>
    /// <param name="message">What is wrong with the file or PIN.</param>
    /// <param name="innerException">The underlying failure.</param>
    public SecretStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
