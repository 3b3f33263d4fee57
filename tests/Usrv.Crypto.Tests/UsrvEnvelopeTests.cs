using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto.Tests;

public sealed class UsrvEnvelopeTests : IDisposable
{
    private const string Method = "POST";
    private const string Target = "/api/endpoint?a=1";
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 22, 1, 17, 17, TimeSpan.Zero).AddTicks(1_234_560);

    private readonly PrivateKey _client = PrivateKey.Generate();
    private readonly PrivateKey _server = PrivateKey.Generate();

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    public static TheoryData<int> BodySizes() => new() { 0, 1, 27, 28, 1000, 1 << 20 };

    [Theory]
    [MemberData(nameof(BodySizes))]
    public void Request_round_trips(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);

        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, plaintext, Now);
        var opened = UsrvEnvelope.OpenRequest(_server, Method, Target, sealedRequest.Headers, sealedRequest.Body);

        Assert.Equal(plaintext, opened.Plaintext);
        Assert.Equal(_client.PublicKey, opened.Sender);
        Assert.Equal("2026-11-22T01:17:17.123456+00:00", opened.Nonce);
        Assert.Equal(size + UsrvEnvelope.Overhead, sealedRequest.Body.Length);
        Assert.Equal("aes-256-gcm", sealedRequest.Headers.UsrvCipher);
        Assert.Equal(_client.PublicKey.ToString(), sealedRequest.Headers.SenderPublicKey);
        Assert.Equal(64, Convert.FromBase64String(sealedRequest.Headers.SenderSignature!).Length);
        Assert.Equal(33, Convert.FromBase64String(sealedRequest.Headers.EphemeralPublicKey!).Length);
    }

    [Theory]
    [MemberData(nameof(BodySizes))]
    public void Response_round_trips(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);

        var sealedResponse = UsrvEnvelope.SealResponse(_server, _client.PublicKey, 200, "nonce-1", plaintext);
        var opened = UsrvEnvelope.OpenResponse(_client, _server.PublicKey, 200, "nonce-1", sealedResponse.Headers, sealedResponse.Body);

        Assert.Equal(plaintext, opened.Plaintext);
        Assert.Equal(_server.PublicKey, opened.Sender);
        Assert.Null(sealedResponse.Headers.Nonce);
        Assert.Equal(_server.PublicKey.ToString(), sealedResponse.Headers.SenderPublicKey);
    }

    [Fact]
    public void Unicode_text_and_a_response_without_request_nonce_round_trip()
    {
        const string text = "é ünïcode ✓ 🚀 \u0000 end";
        var request = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "PUT", "/ünï/✓?q=🚀", Encoding.UTF8.GetBytes(text), Now);
        Assert.Equal(text, Encoding.UTF8.GetString(UsrvEnvelope.OpenRequest(_server, "PUT", "/ünï/✓?q=🚀", request.Headers, request.Body).Plaintext));

        var response = UsrvEnvelope.SealResponse(_server, _client.PublicKey, 404, null, Encoding.UTF8.GetBytes(text));
        Assert.Equal(text, Encoding.UTF8.GetString(UsrvEnvelope.OpenResponse(_client, _server.PublicKey, 404, null, response.Headers, response.Body).Plaintext));
    }

    [Fact]
    public void Sealing_twice_gives_different_bodies_and_keys()
    {
        var a = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "same"u8, Now);
        var b = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "same"u8, Now);

        Assert.NotEqual(a.Body, b.Body);
        Assert.NotEqual(a.Headers.EphemeralPublicKey, b.Headers.EphemeralPublicKey);
    }

    [Fact]
    public void The_wire_format_is_as_specified()
    {
        // Recompute every step of DESIGN §5 from the server side, independently of the library's own code paths.
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "hello"u8, Now);
        var ephemeral = PublicKey.Parse(sealedRequest.Headers.EphemeralPublicKey!);
        var aad = Encoding.UTF8.GetBytes($"{Method} {Target}\n{sealedRequest.Headers.Nonce}");

        var m = SHA256.HashData([.. "usrv/1\n"u8, .. aad, .. ephemeral.Compressed, .. sealedRequest.Body]);
        Assert.True(Bip340.Verify(_client.PublicKey.XOnly, m, Convert.FromBase64String(sealedRequest.Headers.SenderSignature!)));

        var z = _server.DeriveSharedX(ephemeral);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, z, 32, [.. ephemeral.Compressed, .. _server.PublicKey.Compressed], "usrv/1 aes-256-gcm"u8.ToArray());
        var body = sealedRequest.Body;
        var plaintext = new byte[body.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(body.AsSpan(0, 12), body.AsSpan(12, body.Length - 28), body.AsSpan(body.Length - 16), plaintext, aad);
        Assert.Equal("hello"u8.ToArray(), plaintext);
    }

    public static TheoryData<string> FlippedRegions() => new() { "iv", "ciphertext", "tag" };

    [Theory]
    [MemberData(nameof(FlippedRegions))]
    public void A_flipped_bit_anywhere_in_the_body_breaks_the_signature_first(string region)
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "secret payload"u8, Now);
        var body = (byte[])sealedRequest.Body.Clone();
        var index = region switch { "iv" => 3, "ciphertext" => 12 + 5, _ => body.Length - 2 };
        body[index] ^= 0x10;

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, sealedRequest.Headers, body));

        Assert.Equal(401, error.Status);
        Assert.Contains("Sender-Signature does not verify", error.Message);
    }

    [Theory]
    [MemberData(nameof(FlippedRegions))]
    public void A_tampered_body_re_signed_by_an_attacker_fails_decryption_and_names_the_server_key(string region)
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "secret payload"u8, Now);
        var body = (byte[])sealedRequest.Body.Clone();
        var index = region switch { "iv" => 0, "ciphertext" => 12, _ => body.Length - 1 };
        body[index] ^= 0x01;
        using var attacker = PrivateKey.Generate();
        var forged = ResignAs(attacker, sealedRequest.Headers, Method, Target, body);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, forged, body));

        Assert.Equal(400, error.Status);
        Assert.Contains(_server.PublicKey.ToString(), error.Message);
    }

    [Fact]
    public void A_body_sealed_for_another_server_is_400_naming_this_servers_key()
    {
        using var otherServer = PrivateKey.Generate();
        var sealedRequest = UsrvEnvelope.SealRequest(_client, otherServer.PublicKey, Method, Target, "for someone else"u8, Now);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, sealedRequest.Headers, sealedRequest.Body));

        Assert.Equal(400, error.Status);
        Assert.Contains(_server.PublicKey.ToString(), error.Message);
        Assert.Contains("not sealed for this server's public key", error.Message);
    }

    [Theory]
    [InlineData("GET", Target)]
    [InlineData("post", Target)]
    [InlineData(Method, "/api/endpoint?a=2")]
    [InlineData(Method, "/api/other?a=1")]
    public void Method_and_target_are_signed(string method, string target)
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, method, target, sealedRequest.Headers, sealedRequest.Body));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public void The_nonce_and_the_ephemeral_key_are_signed()
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);
        var otherNonce = sealedRequest.Headers with { Nonce = Nonce.Format(Now.AddSeconds(1)) };
        var otherEphemeral = sealedRequest.Headers with { EphemeralPublicKey = PrivateKey.Generate().PublicKey.ToString() };

        Assert.Equal(401, Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, otherNonce, sealedRequest.Body)).Status);
        Assert.Equal(401, Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, otherEphemeral, sealedRequest.Body)).Status);
    }

    [Fact]
    public void The_ephemeral_key_may_arrive_uncompressed()
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);
        var uncompressed = Convert.ToBase64String(PublicKey.Parse(sealedRequest.Headers.EphemeralPublicKey!).ToUncompressed());

        var opened = UsrvEnvelope.OpenRequest(_server, Method, Target, sealedRequest.Headers with { EphemeralPublicKey = uncompressed }, sealedRequest.Body);

        Assert.Equal("x"u8.ToArray(), opened.Plaintext);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(27)]
    public void A_body_shorter_than_iv_plus_tag_is_400(int length)
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "payload"u8, Now);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, sealedRequest.Headers, sealedRequest.Body.AsSpan(0, length)));

        Assert.Equal(400, error.Status);
        Assert.Contains("at least 28", error.Message);
    }

    public static TheoryData<string, string, string> MalformedHeaders() => new()
    {
        { EnvelopeHeaders.EphemeralPublicKeyName, "not base64!!", "Ephemeral-Public-Key" },
        { EnvelopeHeaders.EphemeralPublicKeyName, Convert.ToBase64String(new byte[33]), "Ephemeral-Public-Key" },
        { EnvelopeHeaders.EphemeralPublicKeyName, Convert.ToBase64String([0x02, .. Enumerable.Repeat((byte)0xFF, 32)]), "field size" },
        { EnvelopeHeaders.EphemeralPublicKeyName, Convert.ToBase64String(new byte[64]), "infinity" },
        { EnvelopeHeaders.SenderPublicKeyName, "AAAA", "Sender-Public-Key" },
        { EnvelopeHeaders.SenderPublicKeyName, Convert.ToBase64String(Convert.FromHexString("02EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34")), "not on secp256k1" },
        { EnvelopeHeaders.SenderSignatureName, "%%%", "Sender-Signature" },
        { EnvelopeHeaders.SenderSignatureName, Convert.ToBase64String(new byte[63]), "Sender-Signature" },
        { EnvelopeHeaders.SenderSignatureName, Convert.ToBase64String(new byte[65]), "Sender-Signature" },
        { EnvelopeHeaders.NonceName, " ", "Nonce" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Each_malformed_header_is_400(string name, string value, string detail)
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);
        var headers = With(sealedRequest.Headers, name, value);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, headers, sealedRequest.Body));

        Assert.Equal(400, error.Status);
        Assert.Contains(detail, error.Message);
    }

    [Theory]
    [InlineData(EnvelopeHeaders.NonceName)]
    [InlineData(EnvelopeHeaders.EphemeralPublicKeyName)]
    [InlineData(EnvelopeHeaders.SenderPublicKeyName)]
    [InlineData(EnvelopeHeaders.SenderSignatureName)]
    public void Each_missing_header_is_400_naming_it(string name)
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, With(sealedRequest.Headers, name, null), sealedRequest.Body));

        Assert.Equal(400, error.Status);
        Assert.Contains("lacks the header(s) " + name, error.Message);
    }

    [Fact]
    public void A_plain_request_is_400_not_sealed()
    {
        var onlyKey = new EnvelopeHeaders(null, Nonce.Format(Now), null, _client.PublicKey.ToString(), null);

        Assert.Equal(400, Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, EnvelopeHeaders.None, "{}"u8)).Status);
        Assert.Equal(400, Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, onlyKey, "{}"u8)).Status);
        Assert.False(onlyKey.IsSealed);
        Assert.True(onlyKey.IsPresent);
    }

    [Theory]
    [InlineData("aes-256-ctr")]
    [InlineData("chacha20-poly1305")]
    [InlineData("")]
    public void An_unknown_cipher_is_415(string cipher)
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, sealedRequest.Headers with { UsrvCipher = cipher }, sealedRequest.Body));

        Assert.Equal(415, error.Status);
        Assert.Contains("aes-256-gcm", error.Message);
    }

    [Fact]
    public void The_cipher_name_is_case_insensitive()
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);

        var opened = UsrvEnvelope.OpenRequest(_server, Method, Target, sealedRequest.Headers with { UsrvCipher = "AES-256-GCM" }, sealedRequest.Body);

        Assert.Equal("x"u8.ToArray(), opened.Plaintext);
    }

    [Fact]
    public void The_usrv_04_header_set_is_415_saying_so()
    {
        // usrv 0.4: Ephemeral-Public-Key (64-byte x||y), Sender-Public-Key, Sender-Signature, Nonce; hex ciphertext body.
        var ecies = Vectors.UsrvWire("ecies")[0];
        var headers = new EnvelopeHeaders(
            UsrvCipher: null,
            Nonce: "2026-11-22T01:00:00.000000+00:00",
            EphemeralPublicKey: ecies.GetProperty("ephemeral_public_key_b64").GetString(),
            SenderPublicKey: ecies.GetProperty("recipient_public_key_b64").GetString(),
            SenderSignature: Vectors.UsrvWire("schnorr")[1].GetProperty("signature_b64").GetString());
        var body = Encoding.ASCII.GetBytes(ecies.GetProperty("ciphertext_hex").GetString()!);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, headers, body));

        Assert.True(headers.IsUsrv04);
        Assert.Equal(415, error.Status);
        Assert.Contains("usrv 0.4", error.Message);
        Assert.Contains("AES-256-CTR", error.Message);
        Assert.Contains("not supported yet", error.Message);
    }

    [Fact]
    public void A_response_from_an_unexpected_server_key_names_both_keys()
    {
        using var impostor = PrivateKey.Generate();
        var response = UsrvEnvelope.SealResponse(impostor, _client.PublicKey, 200, "n", "hi"u8);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenResponse(_client, _server.PublicKey, 200, "n", response.Headers, response.Body));

        Assert.Equal(401, error.Status);
        Assert.Contains(impostor.PublicKey.ToString(), error.Message);
        Assert.Contains(_server.PublicKey.ToString(), error.Message);
    }

    [Theory]
    [InlineData(201, "n")]
    [InlineData(200, "m")]
    [InlineData(200, null)]
    public void Response_status_and_request_nonce_are_signed(int status, string? nonce)
    {
        var response = UsrvEnvelope.SealResponse(_server, _client.PublicKey, 200, "n", "hi"u8);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenResponse(_client, _server.PublicKey, status, nonce, response.Headers, response.Body));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public void A_response_opened_by_the_wrong_client_is_400_naming_its_key()
    {
        using var otherClient = PrivateKey.Generate();
        var response = UsrvEnvelope.SealResponse(_server, _client.PublicKey, 200, "n", "hi"u8);

        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenResponse(otherClient, _server.PublicKey, 200, "n", response.Headers, response.Body));

        Assert.Equal(400, error.Status);
        Assert.Contains(otherClient.PublicKey.ToString(), error.Message);
    }

    [Fact]
    public void A_plain_response_where_a_sealed_one_was_expected_is_400()
    {
        var error = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenResponse(_client, _server.PublicKey, 200, "n", EnvelopeHeaders.None, "{}"u8));

        Assert.Equal(400, error.Status);
        Assert.Contains("not sealed", error.Message);
    }

    [Fact]
    public void With_a_replay_guard_the_nonce_is_checked_after_the_signature()
    {
        var time = new FakeTimeProvider(Now);
        var guard = new ReplayGuard(new MemoryNonceStore(time: time), time: time);
        var genuine = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);

        // A forger who copies the genuine headers but cannot sign does not burn the nonce...
        var forgedBody = (byte[])genuine.Body.Clone();
        forgedBody[20] ^= 1;
        Assert.Equal(401, Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, genuine.Headers, forgedBody, guard)).Status);

        // ...so the genuine request still opens once, and a replay of it is refused.
        Assert.Equal("x"u8.ToArray(), UsrvEnvelope.OpenRequest(_server, Method, Target, genuine.Headers, genuine.Body, guard).Plaintext);
        var replay = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenRequest(_server, Method, Target, genuine.Headers, genuine.Body, guard));
        Assert.Equal(412, replay.Status);
        Assert.Contains("replayed", replay.Message);
    }

    [Fact]
    public void Headers_are_read_and_written_by_name()
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Method, Target, "x"u8, Now);
        var map = sealedRequest.Headers.ToPairs().ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

        var read = EnvelopeHeaders.From(name => map.GetValueOrDefault(name));

        Assert.Equal(EnvelopeHeaders.Names, map.Keys);
        Assert.Equal(sealedRequest.Headers, read);
        Assert.Equal(sealedRequest.Headers.SenderSignature, read.Get("sender-signature"));
        Assert.Null(read.Get("Content-Type"));
    }

    internal static EnvelopeHeaders With(EnvelopeHeaders headers, string name, string? value) => name switch
    {
        EnvelopeHeaders.UsrvCipherName => headers with { UsrvCipher = value },
        EnvelopeHeaders.NonceName => headers with { Nonce = value },
        EnvelopeHeaders.EphemeralPublicKeyName => headers with { EphemeralPublicKey = value },
        EnvelopeHeaders.SenderPublicKeyName => headers with { SenderPublicKey = value },
        EnvelopeHeaders.SenderSignatureName => headers with { SenderSignature = value },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>What an attacker can do: keep the ephemeral key, sign the altered body with their own key.</summary>
    private static EnvelopeHeaders ResignAs(PrivateKey attacker, EnvelopeHeaders headers, string method, string target, byte[] body)
    {
        var ephemeral = PublicKey.Parse(headers.EphemeralPublicKey!);
        var aad = Encoding.UTF8.GetBytes($"{method} {target}\n{headers.Nonce}");
        var m = SHA256.HashData([.. "usrv/1\n"u8, .. aad, .. ephemeral.Compressed, .. body]);
        return headers with { SenderPublicKey = attacker.PublicKey.ToString(), SenderSignature = Convert.ToBase64String(attacker.Sign(m)) };
    }
}
