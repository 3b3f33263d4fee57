namespace Usrv.Crypto.Tests;

public class PublicKeyTests
{
    private const string GeneratorX = "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798";
    private const string GeneratorY = "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8";
    private const string FieldSize = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F";
    private const string NotOnCurveX = "EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34"; // BIP340 row 5

    [Fact]
    public void Text_form_is_base64_of_the_33_byte_compressed_point()
    {
        using var one = PrivateKey.FromBytes(Scalar(1));

        Assert.Equal("02" + GeneratorX, Convert.ToHexString(one.PublicKey.Compressed));
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString("02" + GeneratorX)), one.PublicKey.ToString());
        Assert.Equal(GeneratorX, Convert.ToHexString(one.PublicKey.XOnly));
        Assert.Equal("04" + GeneratorX + GeneratorY, Convert.ToHexString(one.PublicKey.ToUncompressed()));
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(GeneratorX + GeneratorY)), one.PublicKey.ToUsrv04Base64());
    }

    [Fact]
    public void All_three_encodings_parse_to_the_same_key()
    {
        for (var i = 0; i < 8; i++)
        {
            using var key = PrivateKey.Generate();
            var publicKey = key.PublicKey;

            var fromText = PublicKey.Parse(publicKey.ToString());
            var fromUncompressed = PublicKey.Parse(Convert.ToBase64String(publicKey.ToUncompressed()));
            var fromUsrv04 = PublicKey.Parse(publicKey.ToUsrv04Base64());
            var fromBytes = PublicKey.FromBytes(publicKey.Compressed);

            Assert.All(new[] { fromText, fromUncompressed, fromUsrv04, fromBytes }, k =>
            {
                Assert.Equal(publicKey, k);
                Assert.True(publicKey == k);
                Assert.Equal(publicKey.GetHashCode(), k.GetHashCode());
                Assert.Equal(publicKey.ToString(), k.ToString());
            });
        }
    }

    [Fact]
    public void Odd_y_keys_keep_their_parity_and_share_the_x_only_form()
    {
        var order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140"); // n - 1
        using var minusOne = PrivateKey.FromBytes(order);
        using var one = PrivateKey.FromBytes(Scalar(1));

        Assert.Equal("03" + GeneratorX, Convert.ToHexString(minusOne.PublicKey.Compressed));
        Assert.Equal(minusOne.PublicKey, PublicKey.Parse(minusOne.PublicKey.ToString()));
        Assert.NotEqual(one.PublicKey, minusOne.PublicKey);
        Assert.True(one.PublicKey != minusOne.PublicKey);
        Assert.Equal(one.PublicKey, PublicKey.FromXOnly(minusOne.PublicKey.XOnly));
    }

    public static TheoryData<string, string> RefusedBytes() => new()
    {
        { "02" + GeneratorX[..62], "got 32" },
        { "02" + GeneratorX + "00", "got 34" },
        { "04" + GeneratorX, "must start with 0x02 or 0x03" },
        { "02" + FieldSize, "not below the field size" },
        { "03" + new string('F', 64), "not below the field size" },
        { "02" + NotOnCurveX, "not on secp256k1" },
        { "02" + GeneratorX + GeneratorY, "must start with 0x04" },
        { "04" + GeneratorX + "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B9", "not on secp256k1" },
        { GeneratorX + "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B9", "not on secp256k1" },
        { FieldSize + GeneratorY, "not below the field size" },
        { GeneratorX + FieldSize, "not below the field size" },
        { "00", "point at infinity" },
        { new string('0', 128), "point at infinity" },
        { "04" + new string('0', 128), "point at infinity" },
    };

    [Theory]
    [MemberData(nameof(RefusedBytes))]
    public void Invalid_keys_are_refused_with_a_reason(string hex, string reason)
    {
        var bytes = Convert.FromHexString(hex);

        var fromBytes = Assert.Throws<InvalidKeyException>(() => PublicKey.FromBytes(bytes));
        var fromText = Assert.Throws<InvalidKeyException>(() => PublicKey.Parse(Convert.ToBase64String(bytes)));

        Assert.Contains(reason, fromBytes.Message);
        Assert.Contains(reason, fromText.Message);
        Assert.IsAssignableFrom<FormatException>(fromText);
        Assert.False(PublicKey.TryParse(Convert.ToBase64String(bytes), out _));
    }

    [Theory]
    [InlineData("not base64!!", "not valid base64")]
    [InlineData("AAAA=A==", "not valid base64")]
    [InlineData("   ", "empty")]
    [InlineData("", "empty")]
    public void Malformed_text_is_refused(string text, string reason)
    {
        Assert.Contains(reason, Assert.Throws<InvalidKeyException>(() => PublicKey.Parse(text)).Message);
        Assert.False(PublicKey.TryParse(text, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void Overlong_text_and_null_are_refused()
    {
        Assert.Contains("characters", Assert.Throws<InvalidKeyException>(() => PublicKey.Parse(new string('A', 4000))).Message);
        Assert.Throws<InvalidKeyException>(() => PublicKey.Parse(null!));
        Assert.False(PublicKey.TryParse(null, out _));
    }

    [Fact]
    public void FromXOnly_refuses_bad_x()
    {
        Assert.Throws<InvalidKeyException>(() => PublicKey.FromXOnly(Convert.FromHexString(NotOnCurveX)));
        Assert.Throws<InvalidKeyException>(() => PublicKey.FromXOnly(Convert.FromHexString(FieldSize)));
        Assert.Throws<InvalidKeyException>(() => PublicKey.FromXOnly(new byte[31]));
    }

    internal static byte[] Scalar(byte value)
    {
        var bytes = new byte[32];
        bytes[31] = value;
        return bytes;
    }
}
