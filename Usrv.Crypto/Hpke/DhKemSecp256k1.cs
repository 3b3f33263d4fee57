namespace Usrv.Crypto.Hpke;

/// <summary>
/// DHKEM(secp256k1, HKDF-SHA256), KEM id 0x0016 (draft-wahby-cfrg-hpke-kem-secp256k1, on RFC 9180 §4.1):
/// Nsk = 32, Npk = Nenc = 65 (uncompressed SEC1 <c>0x04 || x || y</c>, as for P-256 in RFC 9180 §7.1.1),
/// Ndh = 32 (the x-coordinate), bitmask 0xff. Every curve operation is bitcoin-core's libsecp256k1.
/// </summary>
public sealed class DhKemSecp256k1 : DhKem
{
    /// <summary>The one instance (it is stateless).</summary>
    public static DhKemSecp256k1 Instance { get; } = new();

    private DhKemSecp256k1() { }

    /// <summary>0x0016 (draft-wahby-cfrg-hpke-kem-secp256k1 §3).</summary>
    public override ushort KemId => 0x0016;

    /// <summary>Nsk = 32 bytes.</summary>
    public override int SecretKeyLength => 32;

    /// <summary>Npk = Nenc = 65 bytes (uncompressed SEC1).</summary>
    public override int PublicKeyLength => 65;

    /// <summary>0xff (draft-wahby-cfrg-hpke-kem-secp256k1, as P-256 in RFC 9180 §7.1.3).</summary>
    protected override byte Bitmask => 0xff;

    /// <summary>n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141 (SEC 2 §2.4.1).</summary>
    protected override ReadOnlySpan<byte> Order => Secp256k1.Order;

    /// <inheritdoc/>
    public override byte[] DerivePublicKey(ReadOnlySpan<byte> sk)
    {
        Span<byte> pubkey = stackalloc byte[Secp256k1.PubkeyObjectLength];
        if (sk.Length != SecretKeyLength || !Secp256k1.TryCreatePublicKey(sk, pubkey))
            throw new HpkeException("Invalid secp256k1 secret key.");
        return Secp256k1.Serialize(pubkey, compressed: false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Only the 65-byte uncompressed form is accepted (not compressed or hybrid); libsecp256k1 checks the curve equation.
    /// </remarks>
    public override void ValidatePublicKey(ReadOnlySpan<byte> pk) => Parse(pk, stackalloc byte[Secp256k1.PubkeyObjectLength]);

    /// <inheritdoc/>
    protected override void DiffieHellman(ReadOnlySpan<byte> sk, ReadOnlySpan<byte> pk, Span<byte> sharedX32)
    {
        Span<byte> pubkey = stackalloc byte[Secp256k1.PubkeyObjectLength];
        Parse(pk, pubkey);
        if (sk.Length != SecretKeyLength || !Secp256k1.TryEcdhX(sk, pubkey, sharedX32[..DhLength]))
            throw new HpkeException("Invalid secp256k1 secret key.");
    }

    private void Parse(ReadOnlySpan<byte> pk, Span<byte> pubkey64)
    {
        if (pk.Length != PublicKeyLength || pk[0] != 0x04 || !Secp256k1.TryParsePublicKey(pk, pubkey64))
            throw new HpkeException("Invalid secp256k1 public key: not a 65-byte uncompressed point on the curve.");
    }
}
