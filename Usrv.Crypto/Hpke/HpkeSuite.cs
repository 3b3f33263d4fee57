using System.Security.Cryptography;

namespace Usrv.Crypto.Hpke;

/// <summary>
/// An HPKE ciphersuite (RFC 9180 §5): a <see cref="DhKem"/>, HKDF-SHA256 (KDF id 0x0001, Nh = 32) and an
/// <see cref="HpkeAead"/>, with suite_id = <c>"HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || I2OSP(aead_id, 2)</c>
/// (§5.1). Offers the base (0x00) and auth (0x02) modes (§5.1.1, §5.1.3), not the PSK modes. Thread-safe; the
/// contexts it returns are not.
/// </summary>
public sealed class HpkeSuite
{
    /// <summary>The KDF id of HKDF-SHA256 (RFC 9180 §7.2).</summary>
    public const ushort KdfId = 0x0001;

    private const byte ModeBase = 0x00;
    private const byte ModeAuth = 0x02;

    private readonly byte[] _suiteId;

    // key_schedule_context depends only on the mode and info (no PSK here): the last one is kept, as a fixed info repeats.
    private volatile ScheduleContext? _lastContext;

    /// <summary>Creates the suite (<paramref name="kem"/>, HKDF-SHA256, <paramref name="aead"/>).</summary>
    /// <param name="kem">The KEM, e.g. <see cref="DhKemSecp256k1.Instance"/>.</param>
    /// <param name="aead">The AEAD, e.g. <see cref="HpkeAead.Aes256Gcm"/>.</param>
    public HpkeSuite(DhKem kem, HpkeAead aead)
    {
        Kem = kem;
        Aead = aead;
        _suiteId = [(byte)'H', (byte)'P', (byte)'K', (byte)'E', (byte)(kem.KemId >> 8), (byte)kem.KemId,
            KdfId >> 8, KdfId & 0xff, (byte)(aead.AeadId >> 8), (byte)aead.AeadId];
    }

    /// <summary>The KEM.</summary>
    public DhKem Kem { get; }

    /// <summary>The AEAD.</summary>
    public HpkeAead Aead { get; }

    /// <summary>
    /// <c>SetupBaseS(pkR, info)</c> (RFC 9180 §5.1.1): encapsulates to <paramref name="pkR"/> with a fresh ephemeral key.
    /// </summary>
    /// <param name="pkR">The recipient's serialized public key, Npk bytes.</param>
    /// <param name="info">Application-supplied context information, any length.</param>
    /// <returns><c>enc</c> (Nenc bytes) for the recipient, and the sender's context.</returns>
    /// <exception cref="HpkeException"><paramref name="pkR"/> is not a valid public key.</exception>
    public (byte[] Enc, HpkeContext Context) SetupBaseS(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> info) =>
        Sender(ModeBase, Kem.Encap(pkR), info);

    /// <summary><c>SetupBaseS</c> whose ephemeral key pair is <c>DeriveKeyPair(ikmE)</c> (test vectors).</summary>
    internal (byte[] Enc, HpkeContext Context) SetupBaseS(
        ReadOnlySpan<byte> pkR,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> ikmE) =>
        Sender(ModeBase, Kem.Encap(pkR, ikmE), info);

    /// <summary><c>SetupBaseR(enc, skR, info)</c> (RFC 9180 §5.1.1).</summary>
    /// <param name="enc">The encapsulated key from the sender, Nenc bytes.</param>
    /// <param name="skR">The recipient's secret key, Nsk bytes.</param>
    /// <param name="info">The sender's <c>info</c>.</param>
    /// <returns>The recipient's context.</returns>
    /// <exception cref="HpkeException">
    /// <paramref name="enc"/> is not a valid public key or <paramref name="skR"/> is invalid.
    /// </exception>
    public HpkeContext SetupBaseR(ReadOnlySpan<byte> enc, ReadOnlySpan<byte> skR, ReadOnlySpan<byte> info) =>
        KeySchedule(ModeBase, Kem.Decap(enc, skR), info);

    /// <summary>
    /// <c>SetupAuthS(pkR, info, skS)</c> (RFC 9180 §5.1.3): base mode plus proof of the sender's key
    /// <paramref name="skS"/>.
    /// </summary>
    /// <param name="pkR">The recipient's serialized public key, Npk bytes.</param>
    /// <param name="info">Application-supplied context information, any length.</param>
    /// <param name="skS">The sender's secret key, Nsk bytes.</param>
    /// <returns><c>enc</c> (Nenc bytes) for the recipient, and the sender's context.</returns>
    /// <exception cref="HpkeException">
    /// <paramref name="pkR"/> is not a valid public key or <paramref name="skS"/> is invalid.
    /// </exception>
    public (byte[] Enc, HpkeContext Context) SetupAuthS(
        ReadOnlySpan<byte> pkR,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> skS) =>
        Sender(ModeAuth, Kem.AuthEncap(pkR, skS), info);

    /// <summary><c>SetupAuthS</c> whose ephemeral key pair is <c>DeriveKeyPair(ikmE)</c> (test vectors).</summary>
    internal (byte[] Enc, HpkeContext Context) SetupAuthS(
        ReadOnlySpan<byte> pkR,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> skS,
        ReadOnlySpan<byte> ikmE) =>
        Sender(ModeAuth, Kem.AuthEncap(pkR, skS, ikmE), info);

    /// <summary>
    /// <c>SetupAuthR(enc, skR, info, pkS)</c> (RFC 9180 §5.1.3). A wrong <paramref name="pkS"/> gives a context whose
    /// keys do not match the sender's, so its <see cref="HpkeContext.Open"/> fails.
    /// </summary>
    /// <param name="enc">The encapsulated key from the sender, Nenc bytes.</param>
    /// <param name="skR">The recipient's secret key, Nsk bytes.</param>
    /// <param name="info">The sender's <c>info</c>.</param>
    /// <param name="pkS">The sender's serialized public key, Npk bytes.</param>
    /// <returns>The recipient's context.</returns>
    /// <exception cref="HpkeException">
    /// <paramref name="enc"/> or <paramref name="pkS"/> is not a valid public key, or <paramref name="skR"/> is invalid.
    /// </exception>
    public HpkeContext SetupAuthR(
        ReadOnlySpan<byte> enc,
        ReadOnlySpan<byte> skR,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> pkS) =>
        KeySchedule(ModeAuth, Kem.AuthDecap(enc, skR, pkS), info);

    /// <summary>
    /// <c>SetupAuthS</c> with the sender's public key known (see
    /// <see cref="DhKem.AuthEncap(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>); fresh
    /// ephemeral key when <paramref name="ikmE"/> is empty.
    /// </summary>
    internal (byte[] Enc, HpkeContext Context) SetupAuthS(
        ReadOnlySpan<byte> pkR,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> skS,
        ReadOnlySpan<byte> pkS,
        ReadOnlySpan<byte> ikmE) =>
        Sender(ModeAuth, Kem.AuthEncap(pkR, skS, pkS, ikmE), info);

    /// <summary>
    /// <c>SetupAuthR</c> with the recipient's public key <paramref name="pkR"/> known (one point multiplication fewer).
    /// </summary>
    internal HpkeContext SetupAuthR(
        ReadOnlySpan<byte> enc,
        ReadOnlySpan<byte> skR,
        ReadOnlySpan<byte> pkR,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> pkS) =>
        KeySchedule(ModeAuth, Kem.AuthDecap(enc, skR, pkR, pkS), info);

    /// <summary><c>SetupAuthR</c> with <c>DH(skR, pkS)</c> already computed (<paramref name="staticDh"/>).</summary>
    internal HpkeContext SetupAuthR(
        ReadOnlySpan<byte> enc,
        ReadOnlySpan<byte> skR,
        ReadOnlySpan<byte> pkR,
        ReadOnlySpan<byte> info,
        ReadOnlySpan<byte> pkS,
        ReadOnlySpan<byte> staticDh) =>
        KeySchedule(ModeAuth, Kem.AuthDecap(enc, skR, pkR, pkS, staticDh), info);

    private (byte[] Enc, HpkeContext Context) Sender(byte mode, (byte[] SharedSecret, byte[] Enc) encapsulated, ReadOnlySpan<byte> info) =>
        (encapsulated.Enc, KeySchedule(mode, encapsulated.SharedSecret, info));

    /// <summary>
    /// <c>KeySchedule(mode, shared_secret, info, "", "")</c> (RFC 9180 §5.1): key (Nk), base_nonce (Nn) and
    /// exporter_secret (Nh) = <c>LabeledExpand(secret, "key" | "base_nonce" | "exp", key_schedule_context, ...)</c>.
    /// Wipes <paramref name="sharedSecret"/> and the secret.
    /// </summary>
    internal HpkeContext KeySchedule(byte mode, byte[] sharedSecret, ReadOnlySpan<byte> info)
    {
        byte[]? secret = null;
        try
        {
            byte[] context = CachedKeyScheduleContext(mode, info);
            secret = Secret(sharedSecret);
            byte[] key = new byte[Aead.KeyLength];
            byte[] baseNonce = new byte[HpkeAead.NonceLength];
            byte[] exporterSecret = new byte[HpkeLabels.Nh];
            HpkeLabels.LabeledExpand(_suiteId, secret, "key"u8, context, key);
            HpkeLabels.LabeledExpand(_suiteId, secret, "base_nonce"u8, context, baseNonce);
            HpkeLabels.LabeledExpand(_suiteId, secret, "exp"u8, context, exporterSecret);
            return new HpkeContext(Aead, _suiteId, key, baseNonce, exporterSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private sealed record ScheduleContext(byte Mode, byte[] Info, byte[] Context);

    private byte[] CachedKeyScheduleContext(byte mode, ReadOnlySpan<byte> info)
    {
        if (_lastContext is { } last && last.Mode == mode && info.SequenceEqual(last.Info))
            return last.Context;
        byte[] context = KeyScheduleContext(mode, info);
        _lastContext = new ScheduleContext(mode, info.ToArray(), context); // one reference: read whole on any thread
        return context;
    }

    /// <summary>
    /// <c>key_schedule_context = mode || LabeledExtract("", "psk_id_hash", psk_id) || LabeledExtract("", "info_hash", info)</c>
    /// with psk_id = "" (RFC 9180 §5.1): 65 bytes.
    /// </summary>
    internal byte[] KeyScheduleContext(byte mode, ReadOnlySpan<byte> info)
    {
        byte[] context = new byte[1 + 2 * HpkeLabels.Nh];
        context[0] = mode;
        HpkeLabels.LabeledExtract(_suiteId, [], "psk_id_hash"u8, [], context.AsSpan(1, HpkeLabels.Nh));
        HpkeLabels.LabeledExtract(_suiteId, [], "info_hash"u8, info, context.AsSpan(1 + HpkeLabels.Nh));
        return context;
    }

    /// <summary><c>secret = LabeledExtract(shared_secret, "secret", psk)</c> with psk = "" (RFC 9180 §5.1): 32 bytes.</summary>
    internal byte[] Secret(ReadOnlySpan<byte> sharedSecret)
    {
        byte[] secret = new byte[HpkeLabels.Nh];
        HpkeLabels.LabeledExtract(_suiteId, sharedSecret, "secret"u8, [], secret);
        return secret;
    }
}
