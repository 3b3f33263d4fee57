namespace Usrv.Crypto.Tests;

public class PrivateKeyTests
{
    private static readonly byte[] Order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");

    [Fact]
    public void FromBytes_refuses_zero_order_and_wrong_length()
    {
        Assert.Contains("[1, n-1]", Assert.Throws<InvalidKeyException>(() => PrivateKey.FromBytes(new byte[32])).Message);
        Assert.Contains("[1, n-1]", Assert.Throws<InvalidKeyException>(() => PrivateKey.FromBytes(Order)).Message);
        Assert.Throws<InvalidKeyException>(() => PrivateKey.FromBytes(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Contains("32 bytes", Assert.Throws<InvalidKeyException>(() => PrivateKey.FromBytes(new byte[33])).Message);
    }

    [Fact]
    public void Export_round_trips_and_Generate_gives_distinct_keys()
    {
        using var a = PrivateKey.Generate();
        using var b = PrivateKey.Generate();
        using var again = PrivateKey.FromBytes(a.ExportBytes());

        Assert.NotEqual(a.PublicKey, b.PublicKey);
        Assert.Equal(a.PublicKey, again.PublicKey);
    }

    [Fact]
    public void ToString_shows_the_public_key_never_the_scalar()
    {
        using var key = PrivateKey.Generate();
        var text = key.ToString();

        Assert.Contains(key.PublicKey.ToString(), text);
        Assert.DoesNotContain(Convert.ToHexString(key.ExportBytes()), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key.ExportBytes()), text);
    }

    [Fact]
    public void ECDH_gives_both_sides_the_same_32_bytes()
    {
        using var alice = PrivateKey.Generate();
        using var bob = PrivateKey.Generate();
        using var carol = PrivateKey.Generate();

        var ab = alice.DeriveSharedX(bob.PublicKey);
        Assert.Equal(32, ab.Length);
        Assert.Equal(ab, bob.DeriveSharedX(alice.PublicKey));
        Assert.NotEqual(ab, carol.DeriveSharedX(alice.PublicKey));
    }

    [Fact]
    public void Dispose_wipes_the_key_and_blocks_use()
    {
        var key = PrivateKey.Generate();
        var other = PrivateKey.Generate().PublicKey;
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Sign("m"u8));
        Assert.Throws<ObjectDisposedException>(() => key.DeriveSharedX(other));
        Assert.Throws<ObjectDisposedException>(() => key.ExportBytes());
        key.Dispose(); // twice is fine
    }

    [Fact]
    public void Disposal_zeroes_the_scalar_buffer()
    {
        var key = PrivateKey.Generate();
        var field = typeof(PrivateKey).GetField("_scalar", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var scalar = (byte[])field.GetValue(key)!;
        Assert.Contains(scalar, b => b != 0);

        key.Dispose();

        Assert.All(scalar, b => Assert.Equal(0, b));
    }
}
