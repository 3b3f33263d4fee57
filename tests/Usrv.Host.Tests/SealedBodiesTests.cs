using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>A JSON body bound to a complex handler parameter (sealed or not).</summary>
public sealed record Order(string Item, int Count);

/// <summary>
/// Issue 3 over real sockets: the usrv/1 sealed bodies of DESIGN section 5, sent with a plain <see cref="HttpClient"/>
/// built from <see cref="UsrvEnvelope.SealRequest(PrivateKey, PublicKey, string, string, ReadOnlySpan{byte})"/>, and
/// every failure status of the design. Each test starts its own host (a fresh replay guard, an exact handler count);
/// every failure is followed by a good sealed request, proving the server still serves, and the counting handler
/// proves nothing undecrypted or unverified ever reached it. Written once, run on every host kind (see the subclasses).
/// </summary>
public abstract class SealedBodiesTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync) : IDisposable
    where TFixture : RouterHostFixture
{
    /// <summary>The secret of the wire vectors (<c>shared/vectors/usrv-0.4.3-wire.json</c>, <c>keys_from_secret[0]</c>).</summary>
    public const string VectorSecret = "usrv test secret";

    /// <summary>usrv 0.4.3's public key for <see cref="VectorSecret"/>: base64 of the 64-byte <c>x || y</c>, as the vector file has it.</summary>
    public const string VectorPublicKey64 = "Kha5hiz2cFn2EaA9JsVEyLZXeiXcZPGqbluvPsSpf0byJWTtt/JsXaKQCMPCtCtNsX18O3N2rfE0zehTGB6Lgw==";

    /// <summary>The same key in the usrv/1 text form (33-byte SEC1 compressed), as README's <c>curl /puk</c> shows it.</summary>
    public const string VectorPublicKey33 = "AyoWuYYs9nBZ9hGgPSbFRMi2V3ol3GTxqm5brz7EqX9G";

    /// <summary>The server identity of every host here (the router does not dispose it, so one is shared).</summary>
    protected static readonly PrivateKey ServerIdentity = PrivateKey.FromSecret(VectorSecret);

    private static readonly PublicKey ServerKey = ServerIdentity.PublicKey;

    private readonly PrivateKey _client = PrivateKey.Generate();
    private int _handled;

    public void Dispose() => _client.Dispose();

    /// <summary>The host of every test: the demo bindings, the vector identity, and two handlers that count their calls.</summary>
    private Task Serve(Func<TFixture, Task> test) => runAsync(s =>
    {
        s.RouterOptions.Identity = ServerIdentity;
        // usrv's data and a query value: [name, data, verified sender]
        s.Router.Bind("/echo", (string? name, object? data, UsrvRequest request) =>
        {
            Interlocked.Increment(ref _handled);
            return (200, name, data, request.Sender?.ToString());
        }, "GET", "POST");
        // a complex parameter bound from the (opened) JSON body
        s.Router.Bind("/order", (Order order) =>
        {
            Interlocked.Increment(ref _handled);
            return (200, order.Item, order.Count * 2);
        }, "POST");
    }, test);

    // ---------------------------------------------------------------- the happy paths

    [Fact]
    public async Task A_sealed_post_reaches_the_handler_as_plaintext_and_its_answer_comes_back_sealed()
    {
        await Serve(async server =>
        {
            var sealedRequest = UsrvEnvelope.SealRequest(_client, ServerKey, "POST", "/echo?name=n", """{"k":1}"""u8);

            using var request = new HttpRequestMessage(HttpMethod.Post, "/echo?name=n") { Content = new ByteArrayContent(sealedRequest.Body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8"); // the plaintext's type
            foreach (var (name, value) in sealedRequest.Headers.ToPairs()) request.Headers.TryAddWithoutValidation(name, value);
            using var response = await server.Client.SendAsync(request);

            // On the wire the answer is sealed: usrv/1 headers, the server's key, and a body that is not the JSON.
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString()); // the plaintext's type
            var envelope = EnvelopeOf(response);
            Assert.Equal("aes-256-gcm", envelope.UsrvCipher);
            Assert.Equal(VectorPublicKey33, envelope.SenderPublicKey);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.DoesNotContain("\"n\",\"{", Encoding.Latin1.GetString(body));

            var opened = UsrvEnvelope.OpenResponse(_client, ServerKey, 200, sealedRequest.Headers.Nonce, envelope, body);
            Assert.Equal(ServerKey, opened.Sender);
            // The handler saw the query value, the plaintext as usrv's data (text, as its Content-Type says) and the verified sender.
            Assert.Equal($$"""["n","{\"k\":1}","{{_client.PublicKey}}"]""", Encoding.UTF8.GetString(opened.Plaintext));
            Assert.Equal(1, _handled);
        });
    }

    [Fact]
    public async Task A_sealed_json_body_binds_a_complex_parameter()
    {
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/order", """{"item":"tea","count":21}"""));

            Assert.Equal(200, answer.Status);
            Assert.True(answer.Sealed);
            Assert.Equal("""["tea",42]""", answer.Text);
        });
    }

    [Fact]
    public async Task A_sender_key_in_usrv_04s_64_byte_form_is_read_too()
    {
        await Serve(async server =>
        {
            var sent = Sealed("/echo?name=n", "{}").With(EnvelopeHeaders.SenderPublicKeyName, _client.PublicKey.ToUsrv04Base64());

            var answer = await SendAsync(server, sent);

            Assert.Equal(200, answer.Status);
            Assert.Equal($$"""["n","{}","{{_client.PublicKey}}"]""", answer.Text);
        });
    }

    [Fact]
    public async Task A_plain_get_with_sender_public_key_and_nonce_gets_its_answer_sealed()
    {
        await Serve(async server =>
        {
            // usrv's "encrypt only the response": nothing to seal going out, the answer comes back sealed for the client.
            var nonce = Nonce.Format(DateTimeOffset.UtcNow);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/test?b=12&a=Paris");
            request.Headers.Add(EnvelopeHeaders.SenderPublicKeyName, _client.PublicKey.ToString());
            request.Headers.Add(EnvelopeHeaders.NonceName, nonce);
            using var response = await server.Client.SendAsync(request);

            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            var envelope = EnvelopeOf(response);
            Assert.True(envelope.IsSealed);
            Assert.Null(envelope.Nonce); // a response carries no nonce of its own: it is bound to the request's
            var body = await response.Content.ReadAsByteArrayAsync();
            var opened = UsrvEnvelope.OpenResponse(_client, ServerKey, 200, nonce, envelope, body);
            Assert.Equal("""["Paris","12"]""", Encoding.UTF8.GetString(opened.Plaintext));

            // Bound to that request's nonce and status: opened against another nonce, it does not verify.
            var other = Assert.Throws<EnvelopeException>(() => UsrvEnvelope.OpenResponse(_client, ServerKey, 200, Nonce.Format(DateTimeOffset.UtcNow.AddSeconds(1)), envelope, body));
            Assert.Equal(401, other.Status);
        });
    }

    [Fact]
    public async Task Puk_answers_the_server_key_derived_from_its_secret_as_usrv_does()
    {
        await Serve(async server =>
        {
            var text = await server.Client.GetFromJsonAsync<string>("/puk");

            Assert.Equal(VectorPublicKey33, text);
            // The same identity as usrv 0.4.3 derives from the same secret (its 64-byte x||y form).
            Assert.Equal(PublicKey.Parse(VectorPublicKey64), PublicKey.Parse(text!));
            Assert.Equal(server.Router.PublicKey, PublicKey.Parse(text!));
        });
    }

    [Fact]
    public async Task Errors_of_a_handler_are_sealed_for_the_sender_too()
    {
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/order", """{"item":"tea","count":"many"}"""));

            Assert.Equal(400, answer.Status);
            Assert.True(answer.Sealed);
            Assert.Equal("application/problem+json", answer.MediaType);
            Assert.Contains("order", answer.Detail);
            Assert.Equal(0, _handled);
        });
    }

    // ---------------------------------------------------------------- malformed headers: 400

    /// <summary>Malformed key texts: (case, base64 text, what the detail says about an Ephemeral-Public-Key).</summary>
    public static TheoryData<string, string, string> MalformedKeys => new()
    {
        { "bad base64", "not base64!", "not valid base64" },
        { "wrong length (20 bytes)", Convert.ToBase64String(new byte[20]), "got 20" },
        { "wrong length (32 bytes, x only)", Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()), "got 32" },
        { "x >= p", Convert.ToBase64String([0x02, .. Enumerable.Repeat((byte)0xFF, 32)]), "field size p" },
        { "off the curve (compressed: x^3 + 7 has no root)", Convert.ToBase64String(OffCurveCompressed()), "not on secp256k1" },
        { "off the curve (uncompressed: y^2 != x^3 + 7)", Convert.ToBase64String(OffCurveUncompressed()), "not on secp256k1" },
        { "the point at infinity (SEC1 0x00)", Convert.ToBase64String([0x00]), "point at infinity" },
        { "the point at infinity (33 bytes 0x00)", Convert.ToBase64String(new byte[33]), "0x00" },
        { "the point at infinity (64 zero bytes, usrv 0.4 form)", Convert.ToBase64String(new byte[64]), "point at infinity" },
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task A_malformed_Sender_Public_Key_is_400_naming_the_header(string @case, string value, string reason)
    {
        _ = (@case, reason);
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/echo", "{}").With(EnvelopeHeaders.SenderPublicKeyName, value));

            // No key to seal for: the problem comes back in clear.
            Assert.False(answer.Sealed);
            AssertProblem(answer, 400, "Sender-Public-Key is not a valid secp256k1 public key");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task A_malformed_Ephemeral_Public_Key_is_400_saying_what_is_wrong(string @case, string value, string reason)
    {
        _ = @case;
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/echo", "{}").With(EnvelopeHeaders.EphemeralPublicKeyName, value));

            // The sender's key is valid: the problem is sealed for it (read with the client's key).
            Assert.True(answer.Sealed);
            AssertProblem(answer, 400, "Ephemeral-Public-Key is not a valid secp256k1 public key", reason);
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]                                                  // 3 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // 65 bytes
    public async Task A_malformed_Sender_Signature_is_400(string value)
    {
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/echo", "{}").With(EnvelopeHeaders.SenderSignatureName, value));

            AssertProblem(answer, 400, "Sender-Signature is not base64 of a 64-byte BIP340 signature");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Theory]
    [InlineData("Nonce")]
    [InlineData("Ephemeral-Public-Key")]
    [InlineData("Sender-Public-Key")]
    [InlineData("Sender-Signature")]
    public async Task A_missing_header_of_the_set_is_400_naming_it(string missing)
    {
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/echo", "{}").Without(missing));

            AssertProblem(answer, 400, $"lacks the header(s) {missing}");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_shorter_than_iv_and_tag_is_400()
    {
        await Serve(async server =>
        {
            var sent = Sealed("/echo", """{"k":1}""");

            var answer = await SendAsync(server, sent with { Body = sent.Body[..20] });

            AssertProblem(answer, 400, "20 bytes", "at least 28");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_cut_short_but_long_enough_fails_the_signature_401()
    {
        await Serve(async server =>
        {
            var sent = Sealed("/echo", """{"k":"a longer plaintext"}""");

            // Cut anywhere past 28 bytes, a body is indistinguishable from a tampered one: the signature covers it.
            var answer = await SendAsync(server, sent with { Body = sent.Body[..^5] });

            AssertProblem(answer, 401, "Sender-Signature does not verify");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_sealed_body_that_stops_before_its_Content_Length_is_400_or_a_closed_connection()
    {
        await Serve(async server =>
        {
            var sent = Sealed("/echo", """{"k":"half of me never arrives"}""");
            var head = new StringBuilder($"POST /echo HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {sent.Body.Length}");
            foreach (var (name, value) in sent.Headers) head.Append($"\r\n{name}: {value}");

            var raw = await SendHalfThenCloseAsync(server.BaseAddress, RawHttp.Head(server.BaseAddress, head.ToString()), sent.Body[..(sent.Body.Length / 2)]);

            // Closed, with a 400 or no answer; the built-in host answers 408 as it drops the connection (the read failed).
            // Never a 500, never a handler call.
            Assert.True(raw.Closed, raw.ToString());
            Assert.True(raw.Status is null or 400 or 408, raw.ToString());
            await AssertNothingHandledAndStillServes(server);
        });
    }

    // ---------------------------------------------------------------- tampering: 401; another key: 400

    [Theory]
    [InlineData("iv", 0)]
    [InlineData("ciphertext", 12)]
    [InlineData("tag", -1)]
    public async Task One_flipped_bit_is_401_and_never_reaches_the_handler(string where, int index)
    {
        _ = where;
        await Serve(async server =>
        {
            var sent = Sealed("/echo", """{"amount":100}""");
            var body = sent.Body.ToArray();
            body[index < 0 ? body.Length + index : index] ^= 0x01;

            var answer = await SendAsync(server, sent with { Body = body });

            AssertProblem(answer, 401, $"Sender-Signature does not verify for Sender-Public-Key {_client.PublicKey}");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_signature_bound_to_another_target_is_401()
    {
        await Serve(async server =>
        {
            var sent = Sealed("/echo?name=alice", "{}");

            var answer = await SendAsync(server, sent with { Target = "/echo?name=mallory" });

            AssertProblem(answer, 401, "does not verify");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_sealed_for_another_key_is_400_naming_this_servers_key()
    {
        await Serve(async server =>
        {
            using var other = PrivateKey.Generate();

            var answer = await SendAsync(server, Sealed("/echo", "{}", recipient: other.PublicKey));

            // The sender's key is valid, so even this problem comes back sealed for it: the client opens it to read the key to use.
            Assert.True(answer.Sealed);
            AssertProblem(answer, 400, $"not sealed for this server's public key {VectorPublicKey33}", $"Seal it for {VectorPublicKey33}");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    // ---------------------------------------------------------------- nonces: 412

    [Fact]
    public async Task A_replayed_request_is_412()
    {
        await Serve(async server =>
        {
            var sent = Sealed("/echo", "{}");
            Assert.Equal(200, (await SendAsync(server, sent)).Status);

            var replay = await SendAsync(server, sent);

            AssertProblem(replay, 412, "replayed", sent.Nonce!);
            Assert.Equal(1, _handled);
            await AssertStillServes(server, handledBefore: 1);
        });
    }

    [Fact]
    public async Task A_nonce_reused_by_the_same_sender_for_another_body_is_412()
    {
        await Serve(async server =>
        {
            var now = DateTimeOffset.UtcNow;
            Assert.Equal(200, (await SendAsync(server, Sealed("/echo", """{"n":1}""", now: now))).Status);

            var second = await SendAsync(server, Sealed("/echo", """{"n":2}""", now: now));

            AssertProblem(second, 412, "replayed");
            Assert.Equal(1, _handled);
            await AssertStillServes(server, handledBefore: 1);
        });
    }

    [Fact]
    public async Task A_forged_request_cannot_burn_the_nonce_of_a_genuine_one()
    {
        await Serve(async server =>
        {
            var genuine = Sealed("/echo", """{"n":1}""");
            var forged = genuine.Body.ToArray();
            forged[^1] ^= 0x80;

            Assert.Equal(401, (await SendAsync(server, genuine with { Body = forged })).Status);
            var answer = await SendAsync(server, genuine);

            Assert.Equal(200, answer.Status); // the nonce is recorded only once the signature verifies
            Assert.Equal(1, _handled);
        });
    }

    [Theory]
    [InlineData(-60, "stale")]
    [InlineData(-11, "stale")]
    [InlineData(60, "too far in the future")]
    [InlineData(3600, "too far in the future")]
    public async Task A_nonce_outside_the_10_second_window_is_412(int seconds, string detail)
    {
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/echo", "{}", now: DateTimeOffset.UtcNow.AddSeconds(seconds)));

            AssertProblem(answer, 412, detail);
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Theory]
    [InlineData("yesterday", "not an ISO-8601 timestamp")]
    [InlineData("2026-11-22T01:17:17.123456", "not an ISO-8601 timestamp")] // no offset: ambiguous
    [InlineData("2000-01-01T00:00:00.000000+00:00", "stale")]
    public async Task A_plain_request_with_a_bad_nonce_is_412(string nonce, string detail)
    {
        await Serve(async server =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/echo?name=n");
            request.Headers.TryAddWithoutValidation(EnvelopeHeaders.NonceName, nonce);
            request.Headers.Add(EnvelopeHeaders.SenderPublicKeyName, _client.PublicKey.ToString());
            using var response = await server.Client.SendAsync(request);

            var answer = await ReadAsync(response, nonce);
            AssertProblem(answer, 412, detail);
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_plain_request_replaying_its_nonce_is_412()
    {
        await Serve(async server =>
        {
            var nonce = Nonce.Format(DateTimeOffset.UtcNow);
            async Task<Answer> Get()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/echo?name=n");
                request.Headers.Add(EnvelopeHeaders.NonceName, nonce);
                request.Headers.Add(EnvelopeHeaders.SenderPublicKeyName, _client.PublicKey.ToString());
                using var response = await server.Client.SendAsync(request);
                return await ReadAsync(response, nonce);
            }

            Assert.Equal(200, (await Get()).Status);
            AssertProblem(await Get(), 412, "replayed");
            Assert.Equal(1, _handled);
        });
    }

    // ---------------------------------------------------------------- ciphers: 415

    [Theory]
    [InlineData("chacha20-poly1305")]
    [InlineData("aes-128-gcm")]
    [InlineData("none")]
    public async Task An_unknown_Usrv_Cipher_is_415(string cipher)
    {
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/echo", "{}").With(EnvelopeHeaders.UsrvCipherName, cipher));

            AssertProblem(answer, 415, $"'{cipher}' is not supported", "aes-256-gcm");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task Usrv_04s_header_set_without_Usrv_Cipher_is_415_saying_so()
    {
        await Serve(async server =>
        {
            var answer = await SendAsync(server, Sealed("/echo", "{}").Without(EnvelopeHeaders.UsrvCipherName));

            AssertProblem(answer, 415, "usrv 0.4's encryption", "not supported yet", "Usrv-Cipher: aes-256-gcm");
            await AssertNothingHandledAndStillServes(server);
        });
    }

    // ---------------------------------------------------------------- never a 500

    [Fact]
    public async Task No_mangled_sealed_request_gives_a_500_or_reaches_the_handler()
    {
        await Serve(async server =>
        {
            var random = new Random(20261122); // fixed: a failure is reproducible
            var names = EnvelopeHeaders.Names;
            var statuses = new List<int>();
            for (int i = 0; i < 80; i++)
            {
                var sent = Sealed("/echo?i=" + i.ToString(CultureInfo.InvariantCulture), $$"""{"i":{{i}}}""");
                var name = names[random.Next(names.Length)];
                sent = random.Next(6) switch
                {
                    0 => sent with { Body = Flip(sent.Body, random) },
                    1 => sent with { Body = sent.Body[..random.Next(sent.Body.Length)] },
                    2 => sent.Without(name),
                    3 => sent.With(name, Convert.ToBase64String(RandomBytes(random, random.Next(0, 70)))),
                    4 => sent.With(name, Convert.ToBase64String([(byte)(2 + random.Next(2)), .. RandomBytes(random, 32)])), // often a valid point: someone else's key
                    _ => sent.With(name, new string((char)random.Next(0x21, 0x7F), random.Next(1, 100))),
                };

                var answer = await SendAsync(server, sent, open: false);

                Assert.True(answer.Status is 400 or 401 or 412 or 415, $"case {i} ({name}): {answer.Status} {answer.Text}");
                Assert.Equal("application/problem+json", answer.MediaType);
                statuses.Add(answer.Status);
            }
            Assert.True(statuses.Distinct().Count() >= 3, string.Join(",", statuses)); // the cases did exercise several checks
            await AssertNothingHandledAndStillServes(server);
        });
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>A request as sent: its target, envelope headers (mutable by the tests) and body.</summary>
    private sealed record Sent(string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public string? Nonce => Headers.FirstOrDefault(h => h.Key == EnvelopeHeaders.NonceName).Value;

        public Sent With(string name, string value) =>
            this with { Headers = [.. Headers.Select(h => h.Key == name ? new KeyValuePair<string, string>(name, value) : h)] };

        public Sent Without(string name) => this with { Headers = [.. Headers.Where(h => h.Key != name)] };
    }

    /// <summary>An answer, opened with the client's key when it came back sealed.</summary>
    private sealed record Answer(int Status, string? MediaType, bool Sealed, string Text)
    {
        public string Detail => JsonDocument.Parse(Text).RootElement.GetProperty("detail").GetString()!;
    }

    private Sent Sealed(string target, string json, PublicKey? recipient = null, DateTimeOffset? now = null)
    {
        var message = UsrvEnvelope.SealRequest(_client, recipient ?? ServerKey, "POST", target, Encoding.UTF8.GetBytes(json), now ?? DateTimeOffset.UtcNow);
        return new Sent(target, [.. message.Headers.ToPairs()], message.Body);
    }

    private async Task<Answer> SendAsync(TFixture server, Sent sent, bool open = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, sent.Target) { Content = new ByteArrayContent(sent.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        foreach (var (name, value) in sent.Headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await server.Client.SendAsync(request);
        return open ? await ReadAsync(response, sent.Nonce) : new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, EnvelopeOf(response).IsSealed, "");
    }

    private async Task<Answer> ReadAsync(HttpResponseMessage response, string? nonce)
    {
        int status = (int)response.StatusCode;
        var envelope = EnvelopeOf(response);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (envelope.IsSealed) body = UsrvEnvelope.OpenResponse(_client, ServerKey, status, nonce, envelope, body).Plaintext;
        return new Answer(status, response.Content.Headers.ContentType?.MediaType, envelope.IsSealed, Encoding.UTF8.GetString(body));
    }

    private static EnvelopeHeaders EnvelopeOf(HttpResponseMessage response) =>
        EnvelopeHeaders.From(name => response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null);

    private static void AssertProblem(Answer answer, int status, params string[] detailParts)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer.Status}: {answer.Text}");
        Assert.Equal("application/problem+json", answer.MediaType);
        var problem = JsonDocument.Parse(answer.Text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        foreach (var part in detailParts) Assert.Contains(part, answer.Detail);
    }

    /// <summary>Nothing reached a handler, and a good sealed request is still served (and handled).</summary>
    private Task AssertNothingHandledAndStillServes(TFixture server) => AssertStillServes(server, handledBefore: 0);

    private async Task AssertStillServes(TFixture server, int handledBefore)
    {
        Assert.Equal(handledBefore, Volatile.Read(ref _handled));
        var answer = await SendAsync(server, Sealed("/echo?name=still", """{"ok":true}"""));
        Assert.Equal(200, answer.Status);
        Assert.True(answer.Sealed);
        Assert.StartsWith("""["still","{\"ok\":true}",""", answer.Text);
        Assert.Equal(handledBefore + 1, Volatile.Read(ref _handled));
    }

    /// <summary>Sends a request head and part of its body, closes the sending half, and reads (bounded) what comes back.</summary>
    private static async Task<RawResponse> SendHalfThenCloseAsync(Uri baseAddress, byte[] head, byte[] partialBody)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        using var timeout = new CancellationTokenSource(RawHttp.DefaultTimeout);
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(head.Concat(partialBody).ToArray(), timeout.Token);
        tcp.Client.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        bool closed = false;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.Write(buffer, 0, read);
            closed = true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested) { /* still open after the bound */ }
        catch (Exception e) when (e is IOException or SocketException) { closed = true; }
        return new RawResponse(received.ToArray(), closed);
    }

    private static byte[] Flip(byte[] body, Random random)
    {
        var copy = body.ToArray();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static readonly BigInteger P = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", NumberStyles.HexNumber);

    /// <summary><c>0x02 || x</c> for the smallest x whose x³ + 7 is not a square mod p (Euler's criterion): no point has that x.</summary>
    private static byte[] OffCurveCompressed()
    {
        for (var x = BigInteger.One; ; x++)
        {
            var rhs = (BigInteger.ModPow(x, 3, P) + 7) % P;
            if (BigInteger.ModPow(rhs, (P - 1) / 2, P) != BigInteger.One) return [0x02, .. Be32(x)];
        }
    }

    /// <summary>The server key's <c>0x04 || x || y</c> with y changed by one bit: off the curve.</summary>
    private static byte[] OffCurveUncompressed()
    {
        var bytes = ServerKey.ToUncompressed();
        bytes[^1] ^= 0x01;
        return bytes;
    }

    private static byte[] Be32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }
}

/// <summary>Sealed bodies on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostSealedBodiesTests() : SealedBodiesTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>The same sealed bodies on Kestrel through the ASP.NET Core adapter.</summary>
public sealed class KestrelHostSealedBodiesTests() : SealedBodiesTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
