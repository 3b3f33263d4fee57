using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Usrv.Plugins.Tests;

/// <summary>
/// Content identifiers as IPFS makes them for a single-block file: CIDv1 <c>raw</c> (multibase base32, <c>bafkrei...</c>)
/// and the CIDv0 form (base58btc of the sha2-256 multihash, <c>Qm...</c>). Pinata's real CIDv0 hashes a dag-pb node
/// around the bytes; the imitation only needs the right shape and one CID per content.
/// </summary>
public static class Cid
{
    /// <summary>The CID of <paramref name="content"/> for <paramref name="version"/> 0 or 1.</summary>
    public static string Of(ReadOnlySpan<byte> content, int version)
    {
        var multihash = new byte[34];
        multihash[0] = 0x12; // sha2-256
        multihash[1] = 0x20; // 32 bytes
        SHA256.HashData(content, multihash.AsSpan(2));
        return version == 0 ? Base58(multihash) : "b" + Base32([0x01, 0x55, .. multihash]); // CIDv1, raw codec
    }

    private static string Base32(byte[] bytes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return text.ToString();
    }

    private static string Base58(byte[] bytes)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var number = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var text = new StringBuilder();
        while (number > 0)
        {
            number = BigInteger.DivRem(number, 58, out var remainder);
            text.Insert(0, alphabet[(int)remainder]);
        }
        foreach (var b in bytes)
        {
            if (b != 0) break;
            text.Insert(0, '1');
        }
        return text.ToString();
    }
}
