using System.Text.Json;
using Usrv.Crypto.Hpke;

namespace Usrv.Crypto.Tests;

public class HpkeVectorTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(
        File.ReadAllText(Usrv.Crypto.Tests.Vectors.PathOf("hpke-test-vectors.json"))).RootElement;

    private static readonly JsonElement P256 = Vectors.GetProperty("rfc9180_p256_auth");
    private static readonly JsonElement P256Setup = P256.GetProperty("setup");
    private static readonly JsonElement K1 = Vectors.GetProperty("secp256k1_aes256gcm");

    private static readonly HpkeSuite P256Suite = new(DhKemP256.Instance, HpkeAead.Aes128Gcm);
    private static readonly HpkeSuite K1Suite = new(DhKemSecp256k1.Instance, HpkeAead.Aes256Gcm);

    private static byte[] Hex(JsonElement e, string name) => Convert.FromHexString(e.GetProperty(name).GetString()!);

    private static void Equal(JsonElement e, string name, ReadOnlySpan<byte> actual) =>
        Assert.Equal(e.GetProperty(name).GetString(), Convert.ToHexStringLower(actual));

    private static void CheckDeriveKeyPair(DhKem kem, JsonElement v, string who)
    {
        var (sk, pk) = kem.DeriveKeyPair(Hex(v, "ikm" + who));
        Equal(v, "sk" + who + "m", sk);
        Equal(v, "pk" + who + "m", pk);
        Assert.Equal(pk, kem.DerivePublicKey(sk));
    }

    private static void CheckKeySchedule(JsonElement v, HpkeContext ctx)
    {
        Equal(v, "key", ctx.Key);
        Equal(v, "base_nonce", ctx.BaseNonce);
        Equal(v, "exporter_secret", ctx.ExporterSecret);
    }

    private static void RoundTrip(HpkeContext sender, HpkeContext recipient)
    {
        byte[] aad = "aad"u8.ToArray(), pt = "HPKE round trip"u8.ToArray();
        for (int i = 0; i < 3; i++)
            Assert.Equal(pt, recipient.Open(aad, sender.Seal(aad, pt)));
        Assert.Equal(sender.Export("ctx"u8, 42), recipient.Export("ctx"u8, 42));
    }

    // --- RFC 9180 A.3.3: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, Auth mode ---

    [Fact]
    public void P256_DeriveKeyPair()
    {
        foreach (var who in new[] { "E", "R", "S" })
            CheckDeriveKeyPair(DhKemP256.Instance, P256Setup, who);
    }

    [Fact]
    public void P256_AuthEncapAndDecap()
    {
        var v = P256Setup;
        var (sharedSecret, enc) = DhKemP256.Instance.AuthEncap(Hex(v, "pkRm"), Hex(v, "skSm"), Hex(v, "ikmE"));
        Equal(v, "enc", enc);
        Equal(v, "shared_secret", sharedSecret);
        Equal(v, "shared_secret", DhKemP256.Instance.AuthDecap(enc, Hex(v, "skRm"), Hex(v, "pkSm")));
    }

    [Fact]
    public void P256_KeySchedule()
    {
        var v = P256Setup;
        Equal(v, "key_schedule_context", P256Suite.KeyScheduleContext(0x02, Hex(v, "info")));
        Equal(v, "secret", P256Suite.Secret(Hex(v, "shared_secret")));
        var (enc, sender) = P256Suite.SetupAuthS(Hex(v, "pkRm"), Hex(v, "info"), Hex(v, "skSm"), Hex(v, "ikmE"));
        using (sender)
        using (var recipient = P256Suite.SetupAuthR(enc, Hex(v, "skRm"), Hex(v, "info"), Hex(v, "pkSm")))
        {
            Equal(v, "enc", enc);
            CheckKeySchedule(v, sender);
            CheckKeySchedule(v, recipient);
        }
    }

    [Fact]
    public void P256_Encryptions()
    {
        var v = P256Setup;
        var (enc, sender) = P256Suite.SetupAuthS(Hex(v, "pkRm"), Hex(v, "info"), Hex(v, "skSm"), Hex(v, "ikmE"));
        using var _ = sender;
        using var recipient = P256Suite.SetupAuthR(enc, Hex(v, "skRm"), Hex(v, "info"), Hex(v, "pkSm"));
        var checks = P256.GetProperty("encryptions").EnumerateArray()
            .ToDictionary(e => ulong.Parse(e.GetProperty("sequence_number").GetString()!));
        Assert.Contains(256UL, checks.Keys);
        Span<byte> nonce = stackalloc byte[HpkeAead.NonceLength];
        for (ulong seq = 0; seq <= 256; seq++)
        {
            Assert.Equal(seq, sender.Sequence);
            bool isVector = checks.TryGetValue(seq, out var e);
            byte[] aad = isVector ? Hex(e, "aad") : BitConverter.GetBytes(seq), pt = isVector ? Hex(e, "pt") : [(byte)seq];
            if (isVector)
            {
                sender.ComputeNonce(nonce);
                Equal(e, "nonce", nonce);
            }
            byte[] ct = sender.Seal(aad, pt);
            if (isVector)
                Equal(e, "ct", ct);
            Assert.Equal(pt, recipient.Open(aad, ct));
        }
    }

    [Fact]
    public void P256_Exports()
    {
        var v = P256Setup;
        var (enc, sender) = P256Suite.SetupAuthS(Hex(v, "pkRm"), Hex(v, "info"), Hex(v, "skSm"), Hex(v, "ikmE"));
        using var _ = sender;
        using var recipient = P256Suite.SetupAuthR(enc, Hex(v, "skRm"), Hex(v, "info"), Hex(v, "pkSm"));
        foreach (var e in P256.GetProperty("exports").EnumerateArray())
        {
            int length = int.Parse(e.GetProperty("L").GetString()!);
            Equal(e, "exported_value", sender.Export(Hex(e, "exporter_context"), length));
            Equal(e, "exported_value", recipient.Export(Hex(e, "exporter_context"), length));
        }
    }

    // --- draft-wahby-cfrg-hpke-kem-secp256k1: DHKEM(secp256k1, HKDF-SHA256), HKDF-SHA256, AES-256-GCM ---

    public static TheoryData<int> K1Base => [.. Enumerable.Range(0, K1.GetProperty("base").GetArrayLength())];
    public static TheoryData<int> K1Auth => [.. Enumerable.Range(0, K1.GetProperty("auth").GetArrayLength())];

    [Theory]
    [MemberData(nameof(K1Base))]
    public void Secp256k1_Base(int index)
    {
        var v = K1.GetProperty("base")[index];
        var kem = DhKemSecp256k1.Instance;
        CheckDeriveKeyPair(kem, v, "E");
        CheckDeriveKeyPair(kem, v, "R");

        var (sharedSecret, enc) = kem.Encap(Hex(v, "pkRm"), Hex(v, "ikmE"));
        Equal(v, "pkEm", enc);
        Equal(v, "shared_secret", sharedSecret);
        Equal(v, "shared_secret", kem.Decap(enc, Hex(v, "skRm")));

        var (enc2, sender) = K1Suite.SetupBaseS(Hex(v, "pkRm"), Hex(v, "info"), Hex(v, "ikmE"));
        using var _ = sender;
        using var recipient = K1Suite.SetupBaseR(enc2, Hex(v, "skRm"), Hex(v, "info"));
        Assert.Equal(enc, enc2);
        CheckKeySchedule(v, sender);
        CheckKeySchedule(v, recipient);
        RoundTrip(sender, recipient);
    }

    [Theory]
    [MemberData(nameof(K1Auth))]
    public void Secp256k1_Auth(int index)
    {
        // Erratum (see the vector file): the sender key is DeriveKeyPair(ikmS), not the printed skSm/pkSm.
        var v = K1.GetProperty("auth")[index];
        var kem = DhKemSecp256k1.Instance;
        CheckDeriveKeyPair(kem, v, "E");
        CheckDeriveKeyPair(kem, v, "R");
        var (skS, pkS) = kem.DeriveKeyPair(Hex(v, "ikmS"));

        var (sharedSecret, enc) = kem.AuthEncap(Hex(v, "pkRm"), skS, Hex(v, "ikmE"));
        Equal(v, "pkEm", enc);
        Equal(v, "shared_secret", sharedSecret);
        Equal(v, "shared_secret", kem.AuthDecap(enc, Hex(v, "skRm"), pkS));

        var (enc2, sender) = K1Suite.SetupAuthS(Hex(v, "pkRm"), Hex(v, "info"), skS, Hex(v, "ikmE"));
        using var _ = sender;
        using var recipient = K1Suite.SetupAuthR(enc2, Hex(v, "skRm"), Hex(v, "info"), pkS);
        Assert.Equal(enc, enc2);
        CheckKeySchedule(v, sender);
        CheckKeySchedule(v, recipient);
        RoundTrip(sender, recipient);
    }

    // --- Failures ---

    public static TheoryData<string> Suites => ["P-256", "secp256k1"];

    private static HpkeSuite SuiteOf(string name) => name == "P-256" ? P256Suite : K1Suite;

    [Theory]
    [MemberData(nameof(Suites))]
    public void RandomKeys_RoundTripInBothModes(string name)
    {
        var suite = SuiteOf(name);
        var (skR, pkR) = suite.Kem.GenerateKeyPair();
        var (skS, pkS) = suite.Kem.GenerateKeyPair();
        var (enc, sender) = suite.SetupBaseS(pkR, "info"u8);
        using (sender)
        using (var recipient = suite.SetupBaseR(enc, skR, "info"u8))
            RoundTrip(sender, recipient);
        (enc, sender) = suite.SetupAuthS(pkR, "info"u8, skS);
        using (sender)
        using (var recipient = suite.SetupAuthR(enc, skR, "info"u8, pkS))
            RoundTrip(sender, recipient);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Open_RefusesWrongAadAndTamperedCiphertext(string name)
    {
        var suite = SuiteOf(name);
        var (skR, pkR) = suite.Kem.GenerateKeyPair();
        var (enc, sender) = suite.SetupBaseS(pkR, []);
        using var _ = sender;
        using var recipient = suite.SetupBaseR(enc, skR, []);
        byte[] ct = sender.Seal("aad"u8, "message"u8);

        Assert.Throws<HpkeException>(() => recipient.Open("aaD"u8, ct));
        foreach (int i in new[] { 0, ct.Length - 1 })
        {
            byte[] tampered = (byte[])ct.Clone();
            tampered[i] ^= 1;
            Assert.Throws<HpkeException>(() => recipient.Open("aad"u8, tampered));
        }
        Assert.Throws<HpkeException>(() => recipient.Open("aad"u8, ct.AsSpan(0, HpkeAead.TagLength - 1)));
        Assert.Equal(0UL, recipient.Sequence); // failures do not advance the sequence number
        Assert.Equal("message"u8.ToArray(), recipient.Open("aad"u8, ct));
        Assert.Throws<HpkeException>(() => recipient.Open("aad"u8, ct)); // replayed: next nonce
    }

    public static TheoryData<string, string> InvalidKeys => new()
    {
        { "P-256", "off-curve" }, { "P-256", "64 bytes" }, { "P-256", "66 bytes" }, { "P-256", "compressed" },
        { "P-256", "infinity 00" }, { "P-256", "zero point" }, { "P-256", "empty" },
        { "secp256k1", "off-curve" }, { "secp256k1", "64 bytes" }, { "secp256k1", "66 bytes" }, { "secp256k1", "compressed" },
        { "secp256k1", "infinity 00" }, { "secp256k1", "zero point" }, { "secp256k1", "empty" }, { "secp256k1", "hybrid 06/07" },
    };

    private static byte[] Invalid(byte[] pk, string kind) => kind switch
    {
        "off-curve" => [.. pk[..^1], (byte)(pk[^1] ^ 1)],
        "64 bytes" => pk[..^1],
        "66 bytes" => [.. pk, 0],
        "compressed" => [(byte)(2 + (pk[^1] & 1)), .. pk[1..33]],
        "infinity 00" => [0x00],
        "zero point" => [0x04, .. new byte[64]],
        "empty" => [],
        "hybrid 06/07" => [(byte)(6 + (pk[^1] & 1)), .. pk[1..]], // libsecp256k1's parser alone would accept this
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public void InvalidPublicKey_IsRefused(string name, string kind)
    {
        var kem = SuiteOf(name).Kem;
        var (sk, pk) = kem.GenerateKeyPair();
        var (skR, pkR) = kem.GenerateKeyPair();
        byte[] bad = Invalid(pk, kind);
        Assert.Throws<HpkeException>(() => kem.ValidatePublicKey(bad));
        Assert.Throws<HpkeException>(() => kem.Encap(bad));
        Assert.Throws<HpkeException>(() => kem.AuthEncap(bad, sk));
        Assert.Throws<HpkeException>(() => kem.Decap(bad, skR));
        Assert.Throws<HpkeException>(() => kem.AuthDecap(bad, skR, pk));
        var (enc, _) = kem.Encap(pkR);
        Assert.Throws<HpkeException>(() => kem.AuthDecap(enc, skR, bad));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void AuthDecap_WithWrongSenderKey_CannotOpen(string name)
    {
        var suite = SuiteOf(name);
        var (skR, pkR) = suite.Kem.GenerateKeyPair();
        var (skS, _) = suite.Kem.GenerateKeyPair();
        var (_, pkOther) = suite.Kem.GenerateKeyPair();
        var (enc, sender) = suite.SetupAuthS(pkR, "info"u8, skS);
        using var _s = sender;
        using var recipient = suite.SetupAuthR(enc, skR, "info"u8, pkOther);
        Assert.Throws<HpkeException>(() => recipient.Open([], sender.Seal([], "hello"u8)));
        Assert.NotEqual(sender.Export([], 32), recipient.Export([], 32));
    }

    [Fact]
    public void Sequence_Exhausted_RefusesToSealOrOpen()
    {
        var (_, pkR) = K1Suite.Kem.GenerateKeyPair();
        var (_, sender) = K1Suite.SetupBaseS(pkR, []);
        using var _s = sender;
        sender.Sequence = ulong.MaxValue - 1;
        sender.Seal([], []);
        Assert.Throws<HpkeException>(() => sender.Seal([], []));
        Assert.Throws<HpkeException>(() => sender.Open([], new byte[HpkeAead.TagLength]));
    }

    [Fact]
    public void Dispose_WipesSecrets()
    {
        var (_, pkR) = K1Suite.Kem.GenerateKeyPair();
        var (_, sender) = K1Suite.SetupBaseS(pkR, []);
        sender.Dispose();
        Assert.All(sender.Key.ToArray(), b => Assert.Equal(0, b));
        Assert.All(sender.BaseNonce.ToArray(), b => Assert.Equal(0, b));
        Assert.All(sender.ExporterSecret.ToArray(), b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => sender.Seal([], []));
        Assert.Throws<ObjectDisposedException>(() => sender.Export([], 1));
    }

    public static TheoryData<string, string, bool> Scalars => new()
    {
        { "P-256", "0000000000000000000000000000000000000000000000000000000000000000", false },
        { "P-256", "0000000000000000000000000000000000000000000000000000000000000001", true },
        { "P-256", "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", true },
        { "P-256", "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", false },
        { "P-256", "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552", false },
        { "P-256", "ffffffff00000001000000000000000000000000000000000000000000000000", false },
        { "P-256", "fffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true },
        { "secp256k1", "0000000000000000000000000000000000000000000000000000000000000000", false },
        { "secp256k1", "8000000000000000000000000000000000000000000000000000000000000000", true },
        { "secp256k1", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", true },
        { "secp256k1", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", false },
        { "secp256k1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", false },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void DeriveKeyPair_AcceptsExactlyZeroToOrderExclusive(string name, string hex, bool valid)
    {
        var kem = SuiteOf(name).Kem;
        byte[] sk = Convert.FromHexString(hex);
        Assert.Equal(valid, kem.IsValidScalar(sk));
        if (valid)
            Assert.Equal(65, kem.DerivePublicKey(sk).Length);
        else
            Assert.Throws<HpkeException>(() => kem.DerivePublicKey(sk));
    }
}
