using System.Security.Cryptography;

namespace Usrv.Crypto.Hpke;

/// <summary>
/// DHKEM(P-256, HKDF-SHA256), KEM id 0x0010 (RFC 9180 §7.1): Nsk = 32, Npk = Nenc = 65 (uncompressed SEC1
/// <c>0x04 || x || y</c>, §7.1.1), Ndh = 32 (the x-coordinate), bitmask 0xff (§7.1.3). Curve operations are
/// the BCL's <see cref="ECDiffieHellman"/>; it exists to check the generic <see cref="DhKem"/> against RFC 9180's vectors.
/// </summary>
public sealed class DhKemP256 : DhKem
{
    /// <summary>The one instance (it is stateless).</summary>
    public static DhKemP256 Instance { get; } = new();

    private DhKemP256() { }

    /// <summary>0x0010 (RFC 9180 §7.1).</summary>
    public override ushort KemId => 0x0010;

    /// <summary>Nsk = 32 bytes.</summary>
    public override int SecretKeyLength => 32;

    /// <summary>Npk = Nenc = 65 bytes (uncompressed SEC1).</summary>
    public override int PublicKeyLength => 65;

    /// <summary>0xff (RFC 9180 §7.1.3).</summary>
    protected override byte Bitmask => 0xff;

    /// <summary>n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551 (RFC 9180 §7.1.3).</summary>
    protected override ReadOnlySpan<byte> Order =>
    [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ];

    /// <inheritdoc/>
    public override byte[] DerivePublicKey(ReadOnlySpan<byte> sk)
    {
        using ECDiffieHellman key = ImportSecretKey(sk);
        ECPoint q = key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    /// <inheritdoc/>
    /// <remarks>Only the 65-byte uncompressed form; the BCL (OpenSSL on Linux) checks the curve equation and range on import.</remarks>
    public override void ValidatePublicKey(ReadOnlySpan<byte> pk) => ImportPublicKey(pk).Dispose();

    /// <inheritdoc/>
    protected override void DiffieHellman(ReadOnlySpan<byte> sk, ReadOnlySpan<byte> pk, Span<byte> sharedX32)
    {
        using ECDiffieHellman peer = ImportPublicKey(pk);
        using ECDiffieHellman key = ImportSecretKey(sk);
        using ECDiffieHellmanPublicKey peerKey = peer.PublicKey;
        byte[] x = key.DeriveRawSecretAgreement(peerKey);
        x.CopyTo(sharedX32);
        CryptographicOperations.ZeroMemory(x);
    }

    private ECDiffieHellman ImportSecretKey(ReadOnlySpan<byte> sk)
    {
        if (sk.Length != SecretKeyLength)
            throw new HpkeException("Invalid P-256 secret key: not 32 bytes.");
        var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = sk.ToArray() };
        try
        {
            return ECDiffieHellman.Create(parameters);
        }
        catch (CryptographicException e)
        {
            throw new HpkeException("Invalid P-256 secret key.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    private ECDiffieHellman ImportPublicKey(ReadOnlySpan<byte> pk)
    {
        if (pk.Length != PublicKeyLength || pk[0] != 0x04)
            throw new HpkeException("Invalid P-256 public key: not 65 bytes 0x04 || x || y.");
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = pk[1..33].ToArray(), Y = pk[33..].ToArray() },
        };
        try
        {
            return ECDiffieHellman.Create(parameters);
        }
        catch (CryptographicException e)
        {
            throw new HpkeException("Invalid P-256 public key: not on the curve.", e);
        }
    }
}
