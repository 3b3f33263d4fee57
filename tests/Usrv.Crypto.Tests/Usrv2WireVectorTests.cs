using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Usrv.Crypto.Tests;

/// <summary>
/// shared/vectors/usrv2-wire.json, computed by an independent implementation: every byte of three sealed calls and
/// their answers is reproduced here, and each is opened.
/// </summary>
public class Usrv2WireVectorTests
{
    private static readonly JsonElement Wire = Vectors.Usrv2Wire();

    public static TheoryData<string> Cases() => [.. Wire.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    private static JsonElement Case(string name) =>
        Wire.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static byte[] Hex(JsonElement e, string name) => Convert.FromHexString(e.GetProperty(name).GetString()!);

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static PrivateKey Server() => PrivateKey.FromBytes(Hex(Wire, "server_sk"));

    private static PrivateKey Client() => PrivateKey.FromBytes(Hex(Wire, "client_sk"));

    private static RequestLine LineOf(JsonElement c) =>
        new(Text(c, "method"), Text(c, "authority"), Text(c, "target"), Text(c, "content_type"));

    private static SealedRequest Seal(JsonElement c, PrivateKey client, PublicKey server) =>
        UsrvEnvelope.SealRequest(client, server, LineOf(c), Text(c, "nonce"), Encoding.UTF8.GetBytes(Text(c, "plaintext_utf8")),
            Hex(c, "ikm_e"), Hex(c, "aux_rand"));

    private static RequestEnvelope ExpectedRequestHeaders(JsonElement c)
    {
        var h = c.GetProperty("headers");
        return RequestEnvelope.From(name => h.TryGetProperty(name, out var v) ? v.GetString() : null);
    }

    private static ResponseEnvelope ExpectedResponseHeaders(JsonElement response)
    {
        var h = response.GetProperty("headers");
        return ResponseEnvelope.From(name => h.TryGetProperty(name, out var v) ? v.GetString() : null);
    }

    private static bool CanCarry(JsonElement c) => UsrvEnvelope.CanCarryContent(Text(c, "method"), c.GetProperty("response").GetProperty("status").GetInt32());

    [Fact]
    public void The_fixed_keys_are_the_vectors_keys()
    {
        using var server = Server();
        using var client = Client();
        Assert.Equal(Text(Wire, "server_pk33"), Convert.ToHexStringLower(server.PublicKey.Compressed));
        Assert.Equal(Text(Wire, "client_pk33"), Convert.ToHexStringLower(client.PublicKey.Compressed));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_caller_seals_and_signs_every_byte_as_the_vector(string name)
    {
        var c = Case(name);
        using var server = Server();
        using var client = Client();
        using var sealedRequest = Seal(c, client, server.PublicKey);

        Assert.Equal(Text(c, "request_line_utf8"), Encoding.UTF8.GetString(LineOf(c).Encode(Text(c, "nonce"))));
        Assert.Equal(Text(c, "enc"), Convert.ToHexStringLower(sealedRequest.Keys.Enc));
        Assert.Equal(Text(c, "body_sent"), Convert.ToHexStringLower(sealedRequest.Body));
        Assert.Equal(Text(c, "sender_signature"), Convert.ToHexStringLower(sealedRequest.Keys.RequestSignature));
        Assert.Equal(ExpectedRequestHeaders(c), sealedRequest.Headers);
        Assert.Equal(Text(c, "exported_response_secret"), Convert.ToHexStringLower(sealedRequest.Keys.Secret));

        // The signed digest (DESIGN, Sealed calls: the usrv/2 scheme): H(R || enc || SEC1c(pkS) || H(body sent)).
        byte[] digest = SHA256.HashData([.. Encoding.UTF8.GetBytes(Text(c, "request_line_utf8")), .. Hex(c, "enc"),
            .. Hex(Wire, "server_pk33"), .. SHA256.HashData(Hex(c, "body_sent"))]);
        Assert.Equal(Text(c, "request_digest"), Convert.ToHexStringLower(digest));
        Assert.True(client.PublicKey.Verify(digest, Hex(c, "sender_signature")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_server_opens_the_vectors_request(string name)
    {
        var c = Case(name);
        using var server = Server();
        using var client = Client();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(Text(c, "nonce")));
        using var opened = await UsrvEnvelope.OpenRequestAsync(LineOf(c), ExpectedRequestHeaders(c), Hex(c, "body_sent"),
            new KeyRing(server), new ReplayGuard(time: clock));

        Assert.Equal(Text(c, "plaintext_utf8"), Encoding.UTF8.GetString(opened.Plaintext));
        Assert.Equal(client.PublicKey, opened.Sender);
        Assert.Same(server, opened.Recipient);
        Assert.Equal(Text(c, "exported_response_secret"), Convert.ToHexStringLower(opened.Keys.Secret));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_server_seals_and_signs_every_byte_of_the_answer(string name)
    {
        var c = Case(name);
        var response = c.GetProperty("response");
        using var server = Server();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(Text(c, "nonce")));
        using var opened = await UsrvEnvelope.OpenRequestAsync(LineOf(c), ExpectedRequestHeaders(c), Hex(c, "body_sent"),
            new KeyRing(server), new ReplayGuard(time: clock));

        var status = response.GetProperty("status").GetInt32();
        var answer = UsrvEnvelope.SealResponse(opened, status, Text(response, "content_type"),
            Encoding.UTF8.GetBytes(Text(response, "plaintext_utf8")), CanCarry(c), Hex(response, "response_nonce"), Hex(response, "aux_rand"));

        Span<byte> key = stackalloc byte[32];
        Span<byte> iv = stackalloc byte[12];
        opened.Keys.Derive(Hex(response, "response_nonce"), key, iv);
        Assert.Equal(Text(response, "aead_key"), Convert.ToHexStringLower(key));
        Assert.Equal(Text(response, "aead_iv"), Convert.ToHexStringLower(iv));
        Assert.Equal(Text(response, "body_sent"), Convert.ToHexStringLower(answer.Body));
        Assert.Equal(ExpectedResponseHeaders(response), answer.Headers);

        byte[] digest = SHA256.HashData([.. Encoding.UTF8.GetBytes(Text(response, "response_line_utf8")), .. Hex(response, "response_nonce"),
            .. Hex(c, "sender_signature"), .. SHA256.HashData(Hex(response, "body_sent"))]);
        Assert.Equal(Text(response, "response_digest"), Convert.ToHexStringLower(digest));
        Assert.Equal(Text(response, "sender_signature"), Convert.ToHexStringLower(Convert.FromBase64String(answer.Headers.SenderSignature!)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_caller_opens_the_vectors_answer(string name)
    {
        var c = Case(name);
        var response = c.GetProperty("response");
        using var server = Server();
        using var client = Client();
        using var sealedRequest = Seal(c, client, server.PublicKey);

        var plaintext = UsrvEnvelope.OpenResponse(sealedRequest, response.GetProperty("status").GetInt32(), Text(response, "content_type"),
            ExpectedResponseHeaders(response), Hex(response, "body_sent"), CanCarry(c));

        Assert.Equal(Text(response, "plaintext_utf8"), Encoding.UTF8.GetString(plaintext));
    }
}
