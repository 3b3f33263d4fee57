using System.Security.Cryptography;

namespace Usrv.Crypto.Hpke;

/// <summary>
/// DHKEM(Group, HKDF-SHA256) (RFC 9180 §4.1), generic over a prime-order elliptic-curve group whose
/// Diffie-Hellman output (the shared point's x-coordinate) is Ndh = 32 bytes. A subclass supplies the group:
/// its KEM id, key lengths, order and bitmask for <see cref="DeriveKeyPair"/>, <see cref="DerivePublicKey"/>,
/// <see cref="ValidatePublicKey"/> and <see cref="DiffieHellman"/>. Every KDF call here uses
/// suite_id = <c>"KEM" || I2OSP(kem_id, 2)</c> (§4.1). Nsecret = 32 bytes (HKDF-SHA256, §7.1).
/// Instances are stateless and thread-safe.
/// </summary>
public abstract class DhKem
{
    /// <summary>Nsecret: the length of a KEM shared secret, 32 bytes (RFC 9180 §7.1).</summary>
    public const int SharedSecretLength = 32;

    /// <summary>Ndh: the length of a Diffie-Hellman output (the x-coordinate), 32 bytes (RFC 9180 §4.1).</summary>
    protected const int DhLength = 32;

    /// <summary>The KEM id of RFC 9180 §7.1 (or its registry), e.g. 0x0010 for DHKEM(P-256, HKDF-SHA256).</summary>
    public abstract ushort KemId { get; }

    /// <summary>Nsk: the length of a serialized secret key in bytes (RFC 9180 §7.1).</summary>
    public abstract int SecretKeyLength { get; }

    /// <summary>Npk = Nenc: the length of a serialized public key and of an encapsulated key in bytes (RFC 9180 §7.1).</summary>
    public abstract int PublicKeyLength { get; }

    /// <summary>The mask applied to the first candidate byte in <see cref="DeriveKeyPair"/> (RFC 9180 §7.1.3).</summary>
    protected abstract byte Bitmask { get; }

    /// <summary>The group order, big-endian, <see cref="SecretKeyLength"/> bytes (RFC 9180 §7.1.3).</summary>
    protected abstract ReadOnlySpan<byte> Order { get; }

    /// <summary><c>SerializePublicKey(pk(sk))</c> (RFC 9180 §4, §7.1.1): the public key of a secret key.</summary>
    /// <param name="sk">The secret key, <see cref="SecretKeyLength"/> bytes, a scalar in [1, order).</param>
    /// <returns>The serialized public key, <see cref="PublicKeyLength"/> bytes.</returns>
    /// <exception cref="HpkeException"><paramref name="sk"/> is not a valid secret key.</exception>
    public abstract byte[] DerivePublicKey(ReadOnlySpan<byte> sk);

    /// <summary>
    /// <c>DeserializePublicKey</c> with the validation of RFC 9180 §7.1.4: throws unless <paramref name="pk"/> is
    /// exactly <see cref="PublicKeyLength"/> bytes in the group's serialization and a point of the group
    /// (not the point at infinity).
    /// </summary>
    /// <param name="pk">The serialized public key.</param>
    /// <exception cref="HpkeException">The key is malformed, off the curve or the point at infinity.</exception>
    public abstract void ValidatePublicKey(ReadOnlySpan<byte> pk);

    /// <summary>
    /// <c>DH(sk, pk)</c> (RFC 9180 §4): the x-coordinate of <c>sk * pk</c>, after validating <paramref name="pk"/>
    /// as <see cref="ValidatePublicKey"/> does (§7.1.4).
    /// </summary>
    /// <param name="sk">The secret key, <see cref="SecretKeyLength"/> bytes.</param>
    /// <param name="pk">The peer's serialized public key, <see cref="PublicKeyLength"/> bytes.</param>
    /// <param name="sharedX32">Receives the 32-byte x-coordinate (Ndh bytes); the caller wipes it.</param>
    /// <exception cref="HpkeException"><paramref name="pk"/> or <paramref name="sk"/> is invalid.</exception>
    protected abstract void DiffieHellman(ReadOnlySpan<byte> sk, ReadOnlySpan<byte> pk, Span<byte> sharedX32);

    private byte[] SuiteId => field ??= [(byte)'K', (byte)'E', (byte)'M', (byte)(KemId >> 8), (byte)KemId];

    /// <summary>
    /// <c>DeriveKeyPair(ikm)</c> with rejection sampling (RFC 9180 §7.1.3): <c>dkp_prk = LabeledExtract("",
    /// "dkp_prk", ikm)</c>; for counter 0..255, candidate = <c>LabeledExpand(dkp_prk, "candidate", I2OSP(counter, 1),
    /// Nsk)</c> with its first byte masked by the bitmask, accepted when 0 &lt; candidate &lt; order.
    /// </summary>
    /// <param name="ikm">Input keying material; it SHOULD be at least Nsk bytes with Nsk bytes of entropy (§7.1.3).</param>
    /// <returns>The secret key (Nsk bytes) and its serialized public key (Npk bytes).</returns>
    /// <exception cref="HpkeException">No candidate was accepted in 256 tries (<c>DeriveKeyPairError</c>).</exception>
    public (byte[] SecretKey, byte[] PublicKey) DeriveKeyPair(ReadOnlySpan<byte> ikm)
    {
        Span<byte> prk = stackalloc byte[HpkeLabels.Nh];
        Span<byte> counter = stackalloc byte[1];
        byte[] sk = new byte[SecretKeyLength];
        try
        {
            HpkeLabels.LabeledExtract(SuiteId, [], "dkp_prk"u8, ikm, prk);
            for (int i = 0; i <= 255; i++)
            {
                counter[0] = (byte)i;
                HpkeLabels.LabeledExpand(SuiteId, prk, "candidate"u8, counter, sk);
                sk[0] &= Bitmask;
                if (IsValidScalar(sk))
                    return (sk, DerivePublicKey(sk));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
        CryptographicOperations.ZeroMemory(sk);
        throw new HpkeException("DeriveKeyPair: no candidate below the group order in 256 tries.");
    }

    /// <summary><c>GenerateKeyPair()</c> (RFC 9180 §4): <see cref="DeriveKeyPair"/> of Nsk fresh random bytes.</summary>
    /// <returns>The secret key (Nsk bytes) and its serialized public key (Npk bytes).</returns>
    public (byte[] SecretKey, byte[] PublicKey) GenerateKeyPair()
    {
        Span<byte> ikm = stackalloc byte[SecretKeyLength];
        RandomNumberGenerator.Fill(ikm);
        try
        {
            return DeriveKeyPair(ikm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    /// <summary><c>Encap(pkR)</c> (RFC 9180 §4.1) with a fresh ephemeral key pair (<see cref="GenerateKeyPair"/>).</summary>
    /// <param name="pkR">The recipient's serialized public key, Npk bytes.</param>
    /// <returns>The 32-byte shared secret and the encapsulated key <c>enc</c> (Nenc bytes).</returns>
    /// <exception cref="HpkeException"><paramref name="pkR"/> is not a valid public key (§7.1.4).</exception>
    public (byte[] SharedSecret, byte[] Enc) Encap(ReadOnlySpan<byte> pkR) => EncapFresh(pkR, []);

    /// <summary><c>Encap(pkR)</c> whose ephemeral key pair is <c>DeriveKeyPair(ikmE)</c> (test vectors, RFC 9180 Appendix A).</summary>
    internal (byte[] SharedSecret, byte[] Enc) Encap(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> ikmE) => EncapCore(pkR, [], ikmE);

    /// <summary><c>AuthEncap(pkR, skS)</c> (RFC 9180 §4.1) with a fresh ephemeral key pair (<see cref="GenerateKeyPair"/>).</summary>
    /// <param name="pkR">The recipient's serialized public key, Npk bytes.</param>
    /// <param name="skS">The sender's secret key, Nsk bytes.</param>
    /// <returns>The 32-byte shared secret and the encapsulated key <c>enc</c> (Nenc bytes).</returns>
    /// <exception cref="HpkeException">
    /// <paramref name="pkR"/> is not a valid public key (§7.1.4) or <paramref name="skS"/> is not a valid secret key.
    /// </exception>
    public (byte[] SharedSecret, byte[] Enc) AuthEncap(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> skS)
    {
        RequireSecretKey(skS);
        return EncapFresh(pkR, skS);
    }

    /// <summary>
    /// <c>AuthEncap(pkR, skS)</c> whose ephemeral key pair is <c>DeriveKeyPair(ikmE)</c> (test vectors, RFC 9180
    /// Appendix A).
    /// </summary>
    internal (byte[] SharedSecret, byte[] Enc) AuthEncap(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> skS, ReadOnlySpan<byte> ikmE)
    {
        RequireSecretKey(skS);
        return EncapCore(pkR, skS, ikmE);
    }

    /// <summary><c>Decap(enc, skR)</c> (RFC 9180 §4.1).</summary>
    /// <param name="enc">The encapsulated key, Nenc bytes.</param>
    /// <param name="skR">The recipient's secret key, Nsk bytes.</param>
    /// <returns>The 32-byte shared secret.</returns>
    /// <exception cref="HpkeException">
    /// <paramref name="enc"/> is not a valid public key (§7.1.4) or <paramref name="skR"/> is not a valid secret key.
    /// </exception>
    public byte[] Decap(ReadOnlySpan<byte> enc, ReadOnlySpan<byte> skR) =>
        SharedSecret(skR, enc, [], [], enc, DerivePublicKey(skR), []);

    /// <summary><c>AuthDecap(enc, skR, pkS)</c> (RFC 9180 §4.1).</summary>
    /// <param name="enc">The encapsulated key, Nenc bytes.</param>
    /// <param name="skR">The recipient's secret key, Nsk bytes.</param>
    /// <param name="pkS">The sender's serialized public key, Npk bytes.</param>
    /// <returns>The 32-byte shared secret.</returns>
    /// <exception cref="HpkeException">
    /// <paramref name="enc"/> or <paramref name="pkS"/> is not a valid public key (§7.1.4), or <paramref name="skR"/>
    /// is not a valid secret key.
    /// </exception>
    public byte[] AuthDecap(ReadOnlySpan<byte> enc, ReadOnlySpan<byte> skR, ReadOnlySpan<byte> pkS)
    {
        ValidatePublicKey(pkS); // an empty pkS would otherwise mean base mode
        return SharedSecret(skR, enc, skR, pkS, enc, DerivePublicKey(skR), pkS);
    }

    /// <summary>
    /// <c>AuthDecap</c> for a recipient whose serialized public key <paramref name="pkRm"/> (of <paramref name="skR"/>)
    /// is already known: one point multiplication fewer.
    /// </summary>
    internal byte[] AuthDecap(ReadOnlySpan<byte> enc, ReadOnlySpan<byte> skR, ReadOnlySpan<byte> pkRm, ReadOnlySpan<byte> pkS)
    {
        ValidatePublicKey(pkS);
        return SharedSecret(skR, enc, skR, pkS, enc, pkRm, pkS);
    }

    /// <summary>
    /// <c>AuthDecap</c> with the static half <c>DH(skR, pkS)</c> already computed (<paramref name="staticDh"/>, the same for
    /// every call from one sender): one point multiplication, <c>DH(skR, enc)</c>, per call.
    /// </summary>
    internal byte[] AuthDecap(
        ReadOnlySpan<byte> enc, ReadOnlySpan<byte> skR, ReadOnlySpan<byte> pkRm, ReadOnlySpan<byte> pkS, ReadOnlySpan<byte> staticDh)
    {
        if (staticDh.Length != DhLength) throw new HpkeException($"DH(skR, pkS) is {DhLength} bytes.");
        return SharedSecret(skR, enc, [], [], enc, pkRm, pkS, staticDh);
    }

    /// <summary>
    /// <c>AuthEncap</c> for a sender whose serialized public key <paramref name="pkSm"/> (of <paramref name="skS"/>) is
    /// already known; the ephemeral key is <c>DeriveKeyPair(ikmE)</c>, or fresh when <paramref name="ikmE"/> is empty.
    /// </summary>
    internal (byte[] SharedSecret, byte[] Enc) AuthEncap(
        ReadOnlySpan<byte> pkR,
        ReadOnlySpan<byte> skS,
        ReadOnlySpan<byte> pkSm,
        ReadOnlySpan<byte> ikmE)
    {
        RequireSecretKey(skS);
        var (skE, enc) = ikmE.IsEmpty ? GenerateKeyPair() : DeriveKeyPair(ikmE);
        try
        {
            return (SharedSecret(skE, pkR, skS, pkR, enc, pkR, pkSm), enc);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(skE);
        }
    }

    private (byte[] SharedSecret, byte[] Enc) EncapFresh(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> skS)
    {
        Span<byte> ikmE = stackalloc byte[SecretKeyLength];
        RandomNumberGenerator.Fill(ikmE);
        try
        {
            return EncapCore(pkR, skS, ikmE);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikmE);
        }
    }

    // skE, pkE = DeriveKeyPair(ikmE); enc = pkE; shared secret from DH(skE, pkR) [|| DH(skS, pkR)] (§4.1).
    private (byte[] SharedSecret, byte[] Enc) EncapCore(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> skS, ReadOnlySpan<byte> ikmE)
    {
        var (skE, enc) = DeriveKeyPair(ikmE);
        try
        {
            byte[] pkS = skS.IsEmpty ? [] : DerivePublicKey(skS);
            return (SharedSecret(skE, pkR, skS, pkR, enc, pkR, pkS), enc);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(skE);
        }
    }

    private void RequireSecretKey(ReadOnlySpan<byte> sk)
    {
        if (sk.Length != SecretKeyLength)
            throw new HpkeException($"A secret key must be {SecretKeyLength} bytes.");
    }

    // dh = DH(sk1, pk1) [|| DH(sk2, pk2) in auth mode, i.e. when pkSm is given]; kem_context = enc || pkRm [|| pkSm];
    // ExtractAndExpand(dh, kem_context) =
    //     LabeledExpand(LabeledExtract("", "eae_prk", dh), "shared_secret", kem_context, Nsecret) (§4.1).
    // A given staticDh stands for DH(sk2, pk2).
    private byte[] SharedSecret(ReadOnlySpan<byte> sk1, ReadOnlySpan<byte> pk1, ReadOnlySpan<byte> sk2, ReadOnlySpan<byte> pk2,
        ReadOnlySpan<byte> enc, ReadOnlySpan<byte> pkRm, ReadOnlySpan<byte> pkSm, ReadOnlySpan<byte> staticDh = default)
    {
        bool auth = !pkSm.IsEmpty;
        Span<byte> dh = stackalloc byte[2 * DhLength];
        Span<byte> prk = stackalloc byte[HpkeLabels.Nh];
        byte[] kemContext = [.. enc, .. pkRm, .. pkSm];
        try
        {
            DiffieHellman(sk1, pk1, dh[..DhLength]);
            if (auth && !staticDh.IsEmpty)
                staticDh.CopyTo(dh[DhLength..]);
            else if (auth)
                DiffieHellman(sk2, pk2, dh[DhLength..]);
            HpkeLabels.LabeledExtract(SuiteId, [], "eae_prk"u8, auth ? dh : dh[..DhLength], prk);
            byte[] sharedSecret = new byte[SharedSecretLength];
            HpkeLabels.LabeledExpand(SuiteId, prk, "shared_secret"u8, kemContext, sharedSecret);
            return sharedSecret;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>
    /// DeriveKeyPair's acceptance test 0 &lt; sk &lt; order (RFC 9180 §7.1.3), big-endian Nsk bytes, in time independent
    /// of the value.
    /// </summary>
    internal bool IsValidScalar(ReadOnlySpan<byte> sk)
    {
        ReadOnlySpan<byte> order = Order;
        int borrow = 0, nonzero = 0;
        for (int i = sk.Length - 1; i >= 0; i--)
        {
            borrow = ((sk[i] - order[i] - borrow) >> 31) & 1;
            nonzero |= sk[i];
        }
        return borrow == 1 && nonzero != 0;
    }
}
