using System.Text;
using System.Text.Json;

namespace Usrv.Crypto.Tests;

/// <summary>
/// usrv 0.4.3's sealed scheme (DESIGN, Talking to usrv 0.4 peers) byte for byte against usrv-0.4.3-wire.json, and the
/// checks this side adds: it fails closed where usrv 0.4 passes a request on in clear.
/// </summary>
public class Usrv04EnvelopeTests
{
    private const string VectorNonce = "2026-11-22T01:00:00.000000+00:00";
    private static readonly DateTimeOffset VectorTime = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    public static TheoryData<int> EciesRows()
    {
        var rows = new TheoryData<int>();
        for (var i = 0; i < Vectors.UsrvWire("ecies").GetArrayLength(); i++) rows.Add(i);
        return rows;
    }

    private static JsonElement Ecies(int row) => Vectors.UsrvWire("ecies")[row];

    private static PrivateKey KeyFromSecretRow(int row) =>
        PrivateKey.FromBytes(Convert.FromHexString(Vectors.UsrvWire("keys_from_secret")[row].GetProperty("private_key_hex").GetString()!));

    private static string S(JsonElement v, string name) => v.GetProperty(name).GetString()!;

    [Theory]
    [MemberData(nameof(EciesRows))]
    public void Encrypt_with_the_vectors_ephemeral_key_gives_its_ciphertext(int row)
    {
        var v = Ecies(row);
        var recipient = PublicKey.Parse(S(v, "recipient_public_key_b64"));
        using var ephemeral = PrivateKey.FromBytes(Convert.FromHexString(S(v, "ephemeral_private_key_hex")));

        var hex = Usrv04Ecies.Encrypt(recipient, Encoding.UTF8.GetBytes(S(v, "plaintext")), ephemeral);

        Assert.Equal(S(v, "ciphertext_hex"), hex);
        Assert.Equal(S(v, "ephemeral_public_key_b64"), ephemeral.PublicKey.ToUsrv04Base64());
    }

    [Theory]
    [MemberData(nameof(EciesRows))]
    public void Decrypt_of_the_vectors_ciphertext_gives_its_plaintext(int row)
    {
        var v = Ecies(row);
        using var recipient = KeyFromSecretRow(0);
        Assert.Equal(S(v, "recipient_public_key_b64"), recipient.PublicKey.ToUsrv04Base64());
        Assert.True(Usrv04Ecies.TryDecodeHex(S(v, "ciphertext_hex"), out var ciphertext));

        var plaintext = Usrv04Ecies.Decrypt(recipient, PublicKey.Parse(S(v, "ephemeral_public_key_b64")), ciphertext);

        Assert.Equal(S(v, "plaintext"), Encoding.UTF8.GetString(plaintext));
        Assert.True(Usrv04Ecies.IsUtf8(plaintext));
    }

    [Fact]
    public void A_fresh_ephemeral_key_round_trips_and_differs_each_time()
    {
        using var recipient = PrivateKey.Generate();
        var text = Encoding.UTF8.GetBytes("""{"value1": 1, "value2": 2}""");

        var (r1, hex1) = Usrv04Ecies.Encrypt(recipient.PublicKey, text);
        var (r2, hex2) = Usrv04Ecies.Encrypt(recipient.PublicKey, text);

        Assert.NotEqual(r1, r2);
        Assert.NotEqual(hex1, hex2);
        Assert.True(Usrv04Ecies.TryDecodeHex(hex1, out var c1));
        Assert.Equal(text, Usrv04Ecies.Decrypt(recipient, r1, c1));
    }

    [Theory]
    [InlineData("abc", false)]
    [InlineData("zz", false)]
    [InlineData("0g", false)]
    [InlineData("{\"a\":1}", false)]
    [InlineData("", true)]
    [InlineData("00ffAB", true)]
    public void TryDecodeHex_reads_what_unhexlify_reads(string text, bool ok) =>
        Assert.Equal(ok, Usrv04Ecies.TryDecodeHex(text, out _));

    [Fact]
    public void SealRequest_with_the_vectors_randomness_gives_the_vectors_body_and_signature()
    {
        // ecies[0] for keys_from_secret[0], signed by keys_from_secret[1] (schnorr[1] is that very request's signature).
        var v = Ecies(0);
        var schnorr = Vectors.UsrvWire("schnorr")[1];
        using var server = KeyFromSecretRow(0);
        using var client = KeyFromSecretRow(1);
        using var ephemeral = PrivateKey.FromBytes(Convert.FromHexString(S(v, "ephemeral_private_key_hex")));

        var sealedRequest = Usrv04Envelope.SealRequest(client, server.PublicKey, Encoding.UTF8.GetBytes(S(v, "plaintext")),
            VectorNonce, ephemeral, Convert.FromHexString(S(schnorr, "aux_rand_hex")));

        Assert.Equal(S(v, "ciphertext_hex"), sealedRequest.Body);
        Assert.Equal(S(schnorr, "message"), Usrv04Envelope.RequestMessage(
            sealedRequest.Body, sealedRequest.Headers.EphemeralPublicKey!, sealedRequest.Headers.Nonce!));
        Assert.Equal(new Usrv04Headers(VectorNonce, S(v, "ephemeral_public_key_b64"), S(schnorr, "public_key_b64"),
            S(schnorr, "signature_b64")), sealedRequest.Headers);
    }

    [Fact]
    public async Task The_vectors_request_opens_once_then_its_nonce_is_a_replay()
    {
        var (server, sealedRequest) = VectorRequest();
        using var _ = server;
        var guard = new ReplayGuard(time: new FakeTimeProvider(VectorTime.AddSeconds(3)));

        var opened = await Open(sealedRequest.Headers, sealedRequest.Body, server, guard);

        Assert.Equal(S(Ecies(0), "plaintext"), Encoding.UTF8.GetString(opened.Plaintext));
        Assert.Equal(PublicKey.Parse(S(Vectors.UsrvWire("schnorr")[1], "public_key_b64")), opened.Sender);
        var replay = await Assert.ThrowsAsync<EnvelopeException>(() => Open(sealedRequest.Headers, sealedRequest.Body, server, guard));
        Assert.Equal(412, replay.Status);
        Assert.Contains("replayed", replay.Message);
    }

    public static TheoryData<string, Func<Usrv04Headers, Usrv04Headers>, string?, int, string> Refusals() => new()
    {
        { "no signature", h => h with { SenderSignature = null }, null, 401, "lacks Sender-Signature" },
        { "signature not base64", h => h with { SenderSignature = "!!" }, null, 401, "not base64" },
        { "another key's signature", h => h with { SenderSignature = OtherSignature(h) }, null, 401, "does not verify" },
        { "signer swapped", h => h with { SenderPublicKey = PrivateKey.Generate().PublicKey.ToUsrv04Base64() }, null, 401,
            "does not verify" },
        { "body altered", h => h, "66258a1e0dd79600dcf337ce76aa0848683aace1f986acee0fcf", 401, "does not verify" },
        { "no sender key", h => h with { SenderPublicKey = null }, null, 401, "lacks Sender-Public-Key" },
        { "bad sender key", h => h with { SenderPublicKey = "AAAA" }, null, 400, "Sender-Public-Key is not a valid" },
        { "no nonce", h => h with { Nonce = null }, null, 412, "lacks Nonce" },
        { "nonce without an offset", h => h with { Nonce = "2026-11-22T01:00:00.000000" }, null, 412, "with offset" },
        { "stale nonce", h => h with { Nonce = "2026-11-22T00:59:40.000000+00:00" }, null, 412, "stale" },
        { "future nonce", h => h with { Nonce = "2026-11-22T01:00:30.000000+00:00" }, null, 412, "future" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task OpenRequest_fails_closed(string why, Func<Usrv04Headers, Usrv04Headers> change, string? body, int status, string says)
    {
        var (server, sealedRequest) = VectorRequest();
        using var _ = server;
        var guard = new ReplayGuard(time: new FakeTimeProvider(VectorTime));

        var refused = await Assert.ThrowsAsync<EnvelopeException>(
            () => Open(change(sealedRequest.Headers), body ?? sealedRequest.Body, server, guard));

        Assert.True(status == refused.Status, $"{why}: {refused.Status} {refused.Message}");
        Assert.Contains(says, refused.Message);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_hex_is_400_and_one_for_another_key_is_400()
    {
        using var server = PrivateKey.Generate();
        using var client = PrivateKey.Generate();
        using var ephemeral = PrivateKey.Generate();
        var guard = new ReplayGuard(time: new FakeTimeProvider(VectorTime));
        const string plain = """{"value1": 1}""";
        var r = ephemeral.PublicKey.ToUsrv04Base64();
        var headers = new Usrv04Headers(VectorNonce, r, client.PublicKey.ToUsrv04Base64(),
            Convert.ToBase64String(client.SignSha256Utf8(Usrv04Envelope.RequestMessage(plain, r, VectorNonce))));

        var notHex = await Assert.ThrowsAsync<EnvelopeException>(() => Open(headers, plain, server, guard));
        Assert.Equal(400, notHex.Status);
        Assert.Contains("not hex", notHex.Message);

        using var other = PrivateKey.Generate();
        var forOther = Usrv04Envelope.SealRequest(client, other.PublicKey, "é ünïcode ✓ and more text"u8, VectorTime.AddMilliseconds(1));
        var wrongKey = await Assert.ThrowsAsync<EnvelopeException>(() => Open(forOther.Headers, forOther.Body, server, guard));
        Assert.Equal(400, wrongKey.Status);
        Assert.Contains("UTF-8", wrongKey.Message);
    }

    [Fact]
    public async Task A_request_without_a_body_is_signed_over_the_empty_text_and_opens_empty()
    {
        using var server = PrivateKey.Generate();
        using var client = PrivateKey.Generate();
        var sealedRequest = Usrv04Envelope.SealRequest(client, server.PublicKey, [], VectorTime);
        Assert.Equal("", sealedRequest.Body);

        var opened = await Open(sealedRequest.Headers, "", server, new ReplayGuard(time: new FakeTimeProvider(VectorTime)));

        Assert.Empty(opened.Plaintext);
        Assert.Equal(client.PublicKey, opened.Sender);
    }

    [Fact]
    public void An_answer_round_trips_and_is_checked_against_the_expected_server_key()
    {
        using var server = KeyFromSecretRow(0);
        using var client = KeyFromSecretRow(1);
        using var ephemeral = PrivateKey.FromBytes(Convert.FromHexString(S(Ecies(1), "ephemeral_private_key_hex")));
        var aux = new byte[32];

        // ecies[1] is "hello" for keys_from_secret[0]: the server answers keys_from_secret[0]'s owner here.
        var answer = Usrv04Envelope.SealResponse(client, server.PublicKey, "hello"u8, ephemeral, aux);
        Assert.Equal(S(Ecies(1), "ciphertext_hex"), answer.Body);
        Assert.Equal(client.PublicKey.ToUsrv04Base64(), answer.Headers.SenderPublicKey);
        Assert.Null(answer.Headers.Nonce);
        Assert.True(client.PublicKey.VerifySha256Utf8(answer.Body + answer.Headers.EphemeralPublicKey,
            Convert.FromBase64String(answer.Headers.SenderSignature!)));
        Assert.Equal("hello"u8.ToArray(), Usrv04Envelope.OpenResponse(server, client.PublicKey, answer.Headers, Encoding.ASCII.GetBytes(answer.Body)));

        // Re-signed by another key that names itself: refused, whatever it names.
        using var mallory = PrivateKey.Generate();
        var resigned = answer.Headers with
        {
            SenderPublicKey = mallory.PublicKey.ToUsrv04Base64(),
            SenderSignature = Convert.ToBase64String(mallory.SignSha256Utf8(answer.Body + answer.Headers.EphemeralPublicKey)),
        };
        var named = Assert.Throws<EnvelopeException>(
            () => Usrv04Envelope.OpenResponse(server, client.PublicKey, resigned, Encoding.ASCII.GetBytes(answer.Body)));
        Assert.Equal(401, named.Status);
        // Re-signed by another key that still names the server's: the signature does not verify for the expected key.
        var forged = resigned with { SenderPublicKey = answer.Headers.SenderPublicKey };
        var bad = Assert.Throws<EnvelopeException>(
            () => Usrv04Envelope.OpenResponse(server, client.PublicKey, forged, Encoding.ASCII.GetBytes(answer.Body)));
        Assert.Equal(401, bad.Status);
        Assert.Contains("does not verify", bad.Message);
    }

    [Fact]
    public void An_answer_without_content_signs_the_empty_body()
    {
        using var server = PrivateKey.Generate();
        using var client = PrivateKey.Generate();

        var answer = Usrv04Envelope.SealResponse(server, client.PublicKey, "ignored"u8, canCarryContent: false);

        Assert.Equal("", answer.Body);
        Assert.Empty(Usrv04Envelope.OpenResponse(client, server.PublicKey, answer.Headers, []));
    }

    private static (PrivateKey Server, Usrv04Sealed Request) VectorRequest()
    {
        var v = Ecies(0);
        var schnorr = Vectors.UsrvWire("schnorr")[1];
        var server = KeyFromSecretRow(0);
        using var client = KeyFromSecretRow(1);
        using var ephemeral = PrivateKey.FromBytes(Convert.FromHexString(S(v, "ephemeral_private_key_hex")));
        return (server, Usrv04Envelope.SealRequest(client, server.PublicKey, Encoding.UTF8.GetBytes(S(v, "plaintext")),
            VectorNonce, ephemeral, Convert.FromHexString(S(schnorr, "aux_rand_hex"))));
    }

    private static string OtherSignature(Usrv04Headers h)
    {
        using var other = PrivateKey.Generate();
        return Convert.ToBase64String(other.SignSha256Utf8("anything"));
    }

    private static async Task<Usrv04OpenedRequest> Open(Usrv04Headers headers, string body, PrivateKey server, ReplayGuard guard) =>
        await Usrv04Envelope.OpenRequestAsync(
            headers, _ => ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.Latin1.GetBytes(body)), server, guard);
}
