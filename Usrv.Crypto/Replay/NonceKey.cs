using System.Buffers.Binary;
using System.Globalization;

namespace Usrv.Crypto;

/// <summary>
/// What the replay store remembers of a sealed request (DESIGN, Keys, senders, replay): the sender's x-only key
/// (BIP340, 32 bytes, so a key in its 02, 03, 04 or 64-byte form is one sender) and the instant of its nonce, to the
/// 100 ns tick (so the same instant written another way is still a replay). 40 bytes, no heap.
/// </summary>
public readonly struct NonceKey : IEquatable<NonceKey>
{
    private readonly ulong _x0, _x1, _x2, _x3;

    /// <summary>The key of <paramref name="sender"/>'s nonce at <paramref name="instant"/>.</summary>
    /// <param name="sender">The verified sender.</param>
    /// <param name="instant">The nonce's instant (any offset; compared in UTC ticks).</param>
    /// <exception cref="ArgumentNullException"><paramref name="sender"/> is null.</exception>
    public NonceKey(PublicKey sender, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var x = sender.XOnly;
        _x0 = BinaryPrimitives.ReadUInt64BigEndian(x);
        _x1 = BinaryPrimitives.ReadUInt64BigEndian(x[8..]);
        _x2 = BinaryPrimitives.ReadUInt64BigEndian(x[16..]);
        _x3 = BinaryPrimitives.ReadUInt64BigEndian(x[24..]);
        UtcTicks = instant.UtcTicks;
    }

    /// <summary>The nonce's instant in UTC ticks (100 ns since 0001-01-01).</summary>
    public long UtcTicks { get; }

    /// <summary>The sender's x-only key, 32 bytes big-endian.</summary>
    /// <returns>A new 32-byte array.</returns>
    public byte[] SenderXOnly()
    {
        var x = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(x, _x0);
        BinaryPrimitives.WriteUInt64BigEndian(x.AsSpan(8), _x1);
        BinaryPrimitives.WriteUInt64BigEndian(x.AsSpan(16), _x2);
        BinaryPrimitives.WriteUInt64BigEndian(x.AsSpan(24), _x3);
        return x;
    }

    /// <summary>
    /// A text form for stores keyed by strings (e.g. Redis): 64 lowercase hex digits of the x-only key, <c>:</c>, the
    /// ticks.
    /// </summary>
    /// <returns>About 84 characters.</returns>
    public override string ToString() =>
        Convert.ToHexStringLower(SenderXOnly()) + ":" + UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool Equals(NonceKey other) =>
        _x0 == other._x0 && _x1 == other._x1 && _x2 == other._x2 && _x3 == other._x3 && UtcTicks == other.UtcTicks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NonceKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_x0, _x1, _x2, _x3, UtcTicks);

    /// <summary>Equal sender and instant.</summary>
    /// <param name="left">A key.</param>
    /// <param name="right">A key.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(NonceKey left, NonceKey right) => left.Equals(right);

    /// <summary>Another sender or instant.</summary>
    /// <param name="left">A key.</param>
    /// <param name="right">A key.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(NonceKey left, NonceKey right) => !left.Equals(right);
}
