namespace Usrv.Crypto;

/// <summary>
/// A previous key of a <see cref="KeyRing"/> and the instant it stops being served (DESIGN, Keys, senders, replay).
/// </summary>
/// <param name="Key">The key.</param>
/// <param name="RetireAt">From this instant on, calls sealed for it are refused.</param>
public sealed record PreviousKey(PrivateKey Key, DateTimeOffset RetireAt);
