using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Usrv.Crypto.Tests;

/// <summary>Interop with usrv 0.4.3 (Python): the same secret gives the same identity; signatures match byte for byte.</summary>
public class UsrvWireVectorTests
{
    public static TheoryData<string, string, string> KeysFromSecret()
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var v in Vectors.UsrvWire("keys_from_secret").EnumerateArray())
        {
            rows.Add(v.GetProperty("secret").GetString()!, v.GetProperty("private_key_hex").GetString()!, v.GetProperty("public_key_b64").GetString()!);
        }

        return rows;
    }

    public static TheoryData<string, string, string, string, string> Schnorr()
    {
        var rows = new TheoryData<string, string, string, string, string>();
        foreach (var v in Vectors.UsrvWire("schnorr").EnumerateArray())
        {
            rows.Add(
                v.GetProperty("private_key_hex").GetString()!,
                v.GetProperty("public_key_b64").GetString()!,
                v.GetProperty("aux_rand_hex").GetString()!,
                v.GetProperty("message").GetString()!,
                v.GetProperty("signature_b64").GetString()!);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(KeysFromSecret))]
    public void FromSecret_derives_usrvs_key(string secret, string privateKeyHex, string publicKeyBase64)
    {
        using var key = PrivateKey.FromSecret(secret);

        var exported = key.ExportBytes();
        Assert.Equal(privateKeyHex, Convert.ToHexStringLower(exported));
        Assert.Equal(publicKeyBase64, key.PublicKey.ToUsrv04Base64());
        Assert.Equal(key.PublicKey, PublicKey.Parse(publicKeyBase64));
    }

    [Theory]
    [MemberData(nameof(KeysFromSecret))]
    public void ToUsrv04String_is_usrvs_64_byte_key_text(string secret, string privateKeyHex, string publicKeyBase64)
    {
        using var fromSecret = PrivateKey.FromSecret(secret);
        using var fromBytes = PrivateKey.FromBytes(Convert.FromHexString(privateKeyHex));

        Assert.Equal(publicKeyBase64, fromSecret.PublicKey.ToUsrv04String());
        Assert.Equal(publicKeyBase64, fromBytes.PublicKey.ToUsrv04String());
        Assert.Equal(64, Convert.FromBase64String(fromBytes.PublicKey.ToUsrv04String()).Length); // x || y, no SEC1 prefix
        Assert.Equal(publicKeyBase64, PublicKey.Parse(fromBytes.PublicKey.ToString()).ToUsrv04String()); // from the usrv/2 form
        Assert.Equal(fromBytes.PublicKey.ToUsrv04Base64(), fromBytes.PublicKey.ToUsrv04String());
    }

    [Fact]
    public void FromSecret_normalises_to_NFKD_and_uses_the_passphrase()
    {
        using var composed = PrivateKey.FromSecret("caf\u00e9");
        using var decomposed = PrivateKey.FromSecret("cafe\u0301");
        using var otherSalt = PrivateKey.FromSecret("caf\u00e9", "other");

        Assert.Equal(composed.PublicKey, decomposed.PublicKey);
        Assert.NotEqual(composed.PublicKey, otherSalt.PublicKey);
    }

    [Theory]
    [MemberData(nameof(Schnorr))]
    public void SignSha256Utf8_matches_usrv_signature_exactly(string privateKeyHex, string publicKeyBase64, string auxRandHex, string message, string signatureBase64)
    {
        using var key = PrivateKey.FromBytes(Convert.FromHexString(privateKeyHex));
        Assert.Equal(publicKeyBase64, key.PublicKey.ToUsrv04Base64());

        var signature = key.SignSha256Utf8(message, Convert.FromHexString(auxRandHex));

        Assert.Equal(signatureBase64, Convert.ToBase64String(signature));
        Assert.True(PublicKey.Parse(publicKeyBase64).VerifySha256Utf8(message, Convert.FromBase64String(signatureBase64)));
        Assert.False(key.PublicKey.VerifySha256Utf8(message + " ", signature));
    }

    /// <summary>
    /// usrv 0.4's ECIES: key = SHA256(hex(SHA256(x(S)))), AES-256-CTR (counter starts at 1). Decrypting its
    /// vectors here checks <see cref="PrivateKey.DeriveSharedX"/> against Python from both sides.
    /// </summary>
    [Fact]
    public void DeriveSharedX_agrees_with_usrv_ecies_vectors()
    {
        var keys = Vectors.UsrvWire("keys_from_secret");
        using var recipient = PrivateKey.FromBytes(Convert.FromHexString(keys[0].GetProperty("private_key_hex").GetString()!));
        foreach (var v in Vectors.UsrvWire("ecies").EnumerateArray())
        {
            Assert.Equal(recipient.PublicKey, PublicKey.Parse(v.GetProperty("recipient_public_key_b64").GetString()!));
            using var ephemeral = PrivateKey.FromBytes(Convert.FromHexString(v.GetProperty("ephemeral_private_key_hex").GetString()!));
            var ephemeralPublic = PublicKey.Parse(v.GetProperty("ephemeral_public_key_b64").GetString()!);
            Assert.Equal(ephemeral.PublicKey, ephemeralPublic);

            var senderSide = ephemeral.DeriveSharedX(recipient.PublicKey);
            var recipientSide = recipient.DeriveSharedX(ephemeralPublic);
            Assert.Equal(senderSide, recipientSide);

            var secretHex = Convert.ToHexStringLower(SHA256.HashData(recipientSide));
            var aesKey = SHA256.HashData(Encoding.UTF8.GetBytes(secretHex));
            var plaintext = AesCtr(aesKey, Convert.FromHexString(v.GetProperty("ciphertext_hex").GetString()!));
            Assert.Equal(v.GetProperty("plaintext").GetString(), Encoding.UTF8.GetString(plaintext));
        }
    }

    private static byte[] AesCtr(byte[] key, byte[] input)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var output = new byte[input.Length];
        var counter = new byte[16];
        counter[15] = 1;
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            var stream = aes.EncryptEcb(counter, PaddingMode.None);
            for (var i = 0; i < 16 && offset + i < input.Length; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ stream[i]);
            }

            for (var i = 15; i >= 0 && ++counter[i] == 0; i--)
            {
            }
        }

        return output;
    }
}
