using System.Security.Cryptography;

namespace Usrv.Crypto.Tests;

public class Bip340Tests
{
    public static TheoryData<int, string, string, string, string, string, bool, string> CsvRows()
    {
        var rows = new TheoryData<int, string, string, string, string, string, bool, string>();
        foreach (var f in Vectors.Bip340Rows())
        {
            rows.Add(int.Parse(f[0]), f[1], f[2], f[3], f[4], f[5], f[6] == "TRUE", f.Length > 7 ? f[7] : "");
        }

        return rows;
    }

    /// <summary>Rows 15–18 of the current BIP340 test-vectors.csv (variable-length messages, added 2022-12).
    /// The shared CSV stops at row 14; these are BIP340's own values.</summary>
    public static TheoryData<int, string, string, string, string, string, bool, string> VariableLengthRows() => new()
    {
        { 15, "0340034003400340034003400340034003400340034003400340034003400340", "778CAA53B4393AC467774D09497A87224BF9FAB6F6E68B23086497324D6FD117", new string('0', 64), "",
            "71535DB165ECD9FBBC046E5FFAEA61186BB6AD436732FCCC25291A55895464CF6069CE26BF03466228F19A3A62DB8A649F2D560FAC652827D1AF0574E427AB63", true, "message of size 0" },
        { 16, "0340034003400340034003400340034003400340034003400340034003400340", "778CAA53B4393AC467774D09497A87224BF9FAB6F6E68B23086497324D6FD117", new string('0', 64), "11",
            "08A20A0AFEF64124649232E0693C583AB1B9934AE63B4C3511F3AE1134C6A303EA3173BFEA6683BD101FA5AA5DBC1996FE7CACFC5A577D33EC14564CEC2BACBF", true, "message of size 1" },
        { 17, "0340034003400340034003400340034003400340034003400340034003400340", "778CAA53B4393AC467774D09497A87224BF9FAB6F6E68B23086497324D6FD117", new string('0', 64), "0102030405060708090A0B0C0D0E0F1011",
            "5130F39A4059B43BC7CAC09A19ECE52B5D8699D1A71E3C52DA9AFDB6B50AC370C4A482B77BF960F8681540E25B6771ECE1E5A37FD80E5A51897C5566A97EA5A5", true, "message of size 17" },
        { 18, "0340034003400340034003400340034003400340034003400340034003400340", "778CAA53B4393AC467774D09497A87224BF9FAB6F6E68B23086497324D6FD117", new string('0', 64), string.Concat(Enumerable.Repeat("99", 100)),
            "403B12B0D8555A344175EA7EC746566303321E5DBFA8BE6F091635163ECA79A8585ED3E3170807E7C03B720FC54C7B23897FCBA0E9D0B4A06894CFD249F22367", true, "message of size 100" },
    };

    [Theory]
    [MemberData(nameof(CsvRows))]
    [MemberData(nameof(VariableLengthRows))]
    public void Every_test_vector_row_signs_and_verifies_exactly(
        int index, string secretKey, string publicKey, string auxRand, string message, string signature, bool valid, string comment)
    {
        var pk = Convert.FromHexString(publicKey);
        var msg = Convert.FromHexString(message);
        var sig = Convert.FromHexString(signature);

        if (secretKey.Length > 0)
        {
            var produced = Bip340.Sign(Convert.FromHexString(secretKey), msg, Convert.FromHexString(auxRand));
            Assert.Equal(signature, Convert.ToHexString(produced));

            using var key = PrivateKey.FromBytes(Convert.FromHexString(secretKey));
            Assert.Equal(publicKey, Convert.ToHexString(key.PublicKey.XOnly));
        }

        Assert.True(valid == Bip340.Verify(pk, msg, sig), $"row {index} ({comment}) should verify {valid}");
    }

    [Fact]
    public void Signatures_round_trip_for_messages_of_many_lengths()
    {
        using var key = PrivateKey.Generate();
        foreach (var length in new[] { 0, 1, 31, 32, 33, 64, 200, 447, 448, 449, 1000, 70_000 })
        {
            var message = RandomNumberGenerator.GetBytes(length);
            var signature = key.Sign(message);
            Assert.True(Bip340.Verify(key.PublicKey.XOnly, message, signature), $"length {length}");
            Assert.True(key.PublicKey.Verify(message, signature));
            if (length > 0)
            {
                message[^1] ^= 1;
                Assert.False(Bip340.Verify(key.PublicKey.XOnly, message, signature), $"altered, length {length}");
            }
        }
    }

    [Fact]
    public void Zero_aux_rand_is_deterministic_and_fresh_aux_is_not()
    {
        using var key = PrivateKey.Generate();
        var zeros = new byte[32];
        Assert.Equal(key.Sign("m"u8, zeros), key.Sign("m"u8, zeros));
        Assert.NotEqual(key.Sign("m"u8), key.Sign("m"u8));
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(32, 0)]
    [InlineData(32, 63)]
    [InlineData(32, 65)]
    public void Verify_returns_false_for_wrong_lengths(int keyLength, int signatureLength)
    {
        using var key = PrivateKey.Generate();
        var x = key.PublicKey.XOnly.ToArray();
        var pk = new byte[keyLength];
        x.AsSpan(0, Math.Min(32, keyLength)).CopyTo(pk);
        Assert.False(Bip340.Verify(pk, "m"u8, new byte[signatureLength]));
    }

    [Fact]
    public void Verify_never_throws_on_random_input()
    {
        var random = new Random(340);
        for (var i = 0; i < 300; i++)
        {
            var pk = new byte[32];
            var sig = new byte[64];
            random.NextBytes(pk);
            random.NextBytes(sig);
            if (i % 3 == 0)
            {
                pk.AsSpan().Fill(0xFF);
            }

            if (i % 5 == 0)
            {
                sig.AsSpan(0, 32).Clear();
            }

            Assert.False(Bip340.Verify(pk, pk, sig));
        }
    }

    [Fact]
    public void Sign_refuses_invalid_secret_keys_and_aux()
    {
        var order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        Assert.Throws<InvalidKeyException>(() => Bip340.Sign(new byte[32], "m"u8, new byte[32]));
        Assert.Throws<InvalidKeyException>(() => Bip340.Sign(order, "m"u8, new byte[32]));
        Assert.Throws<InvalidKeyException>(() => Bip340.Sign(new byte[31], "m"u8, new byte[32]));
        var one = new byte[32];
        one[31] = 1;
        Assert.Throws<ArgumentException>(() => Bip340.Sign(one, "m"u8, new byte[31]));
    }
}
