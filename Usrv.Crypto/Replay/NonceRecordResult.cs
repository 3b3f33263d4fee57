namespace Usrv.Crypto;

/// <summary>What an <see cref="INonceStore"/> did with a nonce.</summary>
public enum NonceRecordResult
{
    /// <summary>The nonce was new for that sender and is now recorded.</summary>
    Recorded,

    /// <summary>The sender already used that nonce and it has not expired: a replay.</summary>
    Replayed,

    /// <summary>The store is at capacity with entries that have not expired; nothing was recorded.</summary>
    Full,

    /// <summary>The store cannot be reached (e.g. Redis is down); nothing was recorded, and the request is refused (503).</summary>
    Unavailable,
}
