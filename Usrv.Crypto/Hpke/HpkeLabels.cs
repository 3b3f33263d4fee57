using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Usrv.Crypto.Hpke;

/// <summary>
/// <c>LabeledExtract</c> and <c>LabeledExpand</c> over HKDF-SHA256 (RFC 9180 §4), shared by the DHKEM
/// (suite_id <c>"KEM" || I2OSP(kem_id, 2)</c>, §4.1) and the key schedule (suite_id
/// <c>"HPKE" || kem_id || kdf_id || aead_id</c>, §5.1).
/// </summary>
internal static class HpkeLabels
{
    /// <summary>Nh of HKDF-SHA256 (RFC 9180 §7.2): the PRK length, 32 bytes.</summary>
    internal const int Nh = 32;

    private static ReadOnlySpan<byte> Version => "HPKE-v1"u8;

    /// <summary>
    /// <c>LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm)</c> (RFC 9180 §4);
    /// writes the 32-byte PRK. The labeled ikm is wiped after use.
    /// </summary>
    internal static void LabeledExtract(ReadOnlySpan<byte> suiteId, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> label,
        ReadOnlySpan<byte> ikm, Span<byte> prk32)
    {
        int length = Version.Length + suiteId.Length + label.Length + ikm.Length;
        Span<byte> labeledIkm = length <= 256 ? stackalloc byte[256] : new byte[length];
        labeledIkm = labeledIkm[..length];
        try
        {
            Version.CopyTo(labeledIkm);
            suiteId.CopyTo(labeledIkm[Version.Length..]);
            label.CopyTo(labeledIkm[(Version.Length + suiteId.Length)..]);
            ikm.CopyTo(labeledIkm[(Version.Length + suiteId.Length + label.Length)..]);
            HKDF.Extract(HashAlgorithmName.SHA256, labeledIkm, salt, prk32[..Nh]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(labeledIkm);
        }
    }

    /// <summary>
    /// <c>LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)</c>
    /// (RFC 9180 §4), with L = <paramref name="output"/>.Length, at most 255 * Nh = 8160 bytes (RFC 5869 §2.3).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">L is larger than 8160 bytes.</exception>
    internal static void LabeledExpand(ReadOnlySpan<byte> suiteId, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> label,
        ReadOnlySpan<byte> info, Span<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(output.Length, 255 * Nh, "L");
        int length = 2 + Version.Length + suiteId.Length + label.Length + info.Length;
        Span<byte> labeledInfo = length <= 256 ? stackalloc byte[256] : new byte[length];
        labeledInfo = labeledInfo[..length];
        BinaryPrimitives.WriteUInt16BigEndian(labeledInfo, (ushort)output.Length);
        Version.CopyTo(labeledInfo[2..]);
        suiteId.CopyTo(labeledInfo[(2 + Version.Length)..]);
        label.CopyTo(labeledInfo[(2 + Version.Length + suiteId.Length)..]);
        info.CopyTo(labeledInfo[(2 + Version.Length + suiteId.Length + label.Length)..]);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, labeledInfo);
    }
}
