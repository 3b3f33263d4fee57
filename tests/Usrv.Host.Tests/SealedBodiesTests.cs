using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Usrv.Crypto;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Host.Tests;

/// <summary>A JSON body bound to a complex handler parameter (sealed or not).</summary>
public sealed record Order(string Item, int Count);

/// <summary>
/// A usrv/2 request as it goes on the wire (DESIGN section 5), built with
/// <see cref="UsrvEnvelope.SealRequest(PrivateKey, PublicKey, RequestLine, ReadOnlySpan{byte}, DateTimeOffset)"/> and
/// then, in the tests, broken in exactly one place: a header changed or dropped, the body, target or content type moved.
/// It is always sent to the server's own address (the <c>Host</c> is the server's authority); <see cref="Authority"/>
/// is what the request was signed for.
/// </summary>
/// <param name="Method">The method sent.</param>
/// <param name="Authority">The authority the request was signed for (the <c>Host</c> header when it is honest).</param>
/// <param name="Target">The request-target sent.</param>
/// <param name="ContentType">The <c>Content-Type</c> text sent, or null for none.</param>
/// <param name="Headers">The usrv/2 headers sent.</param>
/// <param name="Body">The body sent.</param>
/// <param name="Sealing">What the caller keeps to open the answer.</param>
public sealed record SealedCall(string Method, string Authority, string Target, string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, SealedRequest Sealing)
{
    /// <summary>Seals <paramref name="body"/> (UTF-8) for <paramref name="server"/>, signed by <paramref name="sender"/>.</summary>
    public static SealedCall Seal(PrivateKey sender, PublicKey server, string method, string authority, string target, string? contentType,
        string? body, DateTimeOffset? now = null)
    {
        var sealing = UsrvEnvelope.SealRequest(sender, server, new RequestLine(method, authority, target, contentType),
            Encoding.UTF8.GetBytes(body ?? ""), now ?? DateTimeOffset.UtcNow);
        return new SealedCall(method, authority, target, contentType, [.. sealing.Headers.ToPairs()], sealing.Body, sealing);
    }

    /// <summary>The value of a usrv/2 header sent, or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;

    /// <summary>This call with header <paramref name="name"/> set to <paramref name="value"/> (replaced, or added).</summary>
    public SealedCall With(string name, string value) =>
        this with { Headers = [.. Headers.Where(h => h.Key != name), new(name, value)] };

    /// <summary>This call without header <paramref name="name"/>.</summary>
    public SealedCall Without(string name) => this with { Headers = [.. Headers.Where(h => h.Key != name)] };

    /// <summary>
    /// The usrv/2 request digest <c>H(R || enc || SEC1c(pkS) || H(body sent))</c> of this call as it stands, computed from
    /// public data only (what any on-path attacker sees), for <paramref name="server"/>.
    /// </summary>
    public byte[] Digest(PublicKey server)
    {
        var r = new RequestLine(Method, Authority, Target, ContentType).Encode(Header(EnvelopeHeaders.Nonce)!);
        var enc = Convert.FromBase64String(Header(EnvelopeHeaders.EphemeralPublicKey)!);
        return SHA256.HashData([.. r, .. enc, .. server.Compressed, .. SHA256.HashData(Body)]);
    }

    /// <summary>This call as it stands, re-signed by <paramref name="signer"/> (who becomes its <c>Sender-Public-Key</c>).</summary>
    public SealedCall SignedBy(PrivateKey signer, PublicKey server) =>
        With(EnvelopeHeaders.SenderPublicKey, signer.PublicKey.ToString())
            .With(EnvelopeHeaders.SenderSignature, Convert.ToBase64String(signer.Sign(Digest(server))));

    /// <summary>Sends this call through <paramref name="client"/> (to the server's own address) and reads the answer.</summary>
    public async Task<WireAnswer> SendAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(new HttpMethod(Method), Target);
        if (Body.Length > 0 || ContentType is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType); // exactly the signed text
        }
        foreach (var (name, value) in Headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        return await WireAnswer.ReadAsync(Method, response);
    }
}

/// <summary>An answer as received: status, the raw <c>Content-Type</c> text, the usrv/2 answer headers and the body bytes.</summary>
public sealed record WireAnswer(string Method, int Status, string? ContentType, ResponseEnvelope Envelope, byte[] Body)
{
    /// <summary>Reads an answer to a request of <paramref name="method"/>.</summary>
    public static async Task<WireAnswer> ReadAsync(string method, HttpResponseMessage response)
    {
        var headers = response.Headers.NonValidated;
        var envelope = ResponseEnvelope.From(name => headers.TryGetValues(name, out var values) ? values.ToString() : null);
        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var types) ? types.ToString() : null;
        return new WireAnswer(method, (int)response.StatusCode, contentType, envelope, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>True when the answer claims to be sealed (<c>Usrv-Scheme</c> present).</summary>
    public bool IsSealed => Envelope.Scheme is not null;

    /// <summary>The media type, without parameters.</summary>
    public string? MediaType => ContentType?.Split(';')[0].Trim();

    /// <summary>The body as text, as received.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The caller's checks and the opened body, against the state kept by <paramref name="sealing"/>.</summary>
    public byte[] OpenWith(SealedRequest sealing) =>
        UsrvEnvelope.OpenResponse(sealing, Status, ContentType, Envelope, Body, UsrvEnvelope.CanCarryContent(Method, Status));

    /// <summary>The <c>detail</c> of a problem+json body (received in clear).</summary>
    public string Detail => JsonDocument.Parse(Body).RootElement.GetProperty("detail").GetString()!;

    /// <inheritdoc/>
    public override string ToString() => $"{Status} {ContentType} sealed={IsSealed}: {(Text.Length > 300 ? Text[..300] + "..." : Text)}";
}

/// <summary>
/// What the usrv/2 host tests share: a host per test serving the vector identity and counting handlers, a fresh client
/// key, sealing helpers, and the check that a refusal left nothing behind (no handler call, the next good call served).
/// </summary>
public abstract class SealedHostTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync) : IDisposable
    where TFixture : RouterHostFixture
{
    /// <summary>The secret of the wire vectors; the identity of every host here.</summary>
    public const string ServerSecret = "usrv test secret";

    /// <summary>The server identity of every host here (the router does not dispose it, so one is shared).</summary>
    protected static readonly PrivateKey ServerIdentity = PrivateKey.FromSecret(ServerSecret);

    /// <summary>The key every good call is sealed for.</summary>
    protected static PublicKey ServerKey => ServerIdentity.PublicKey;

    /// <summary>The caller of the test (a fresh key per test).</summary>
    protected readonly PrivateKey Client = PrivateKey.Generate();

    private int _handled;
    private PublicKey? _lastSender;

    /// <summary>Handler calls so far.</summary>
    protected int Handled => Volatile.Read(ref _handled);

    /// <summary>The <see cref="UsrvRequest.Sender"/> the last handler call saw.</summary>
    protected PublicKey? LastSender => Volatile.Read(ref _lastSender);

    /// <inheritdoc/>
    public void Dispose()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The host of every test: the demo bindings, the vector identity, and handlers that count their calls:
    /// <c>GET|POST /echo?name=</c> answers <c>[name, data, sender]</c>, <c>POST /order</c> binds a JSON body,
    /// <c>GET|POST /boom</c> throws.
    /// </summary>
    protected Task Serve(Func<TFixture, Task> test, Action<RouterHostFixture.Settings>? configure = null) => runAsync(s =>
    {
        s.RouterOptions.Identity = ServerIdentity;
        configure?.Invoke(s);
        s.Router.Bind("/echo", (string? name, object? data, UsrvRequest request) =>
        {
            Interlocked.Increment(ref _handled);
            Volatile.Write(ref _lastSender, request.Sender);
            return (200, name, data, request.Sender?.ToString());
        }, "GET", "POST");
        s.Router.Bind("/order", (Order order) =>
        {
            Interlocked.Increment(ref _handled);
            return (200, order.Item, order.Count * 2);
        }, "POST");
        s.Router.Bind("/boom", new Func<(int, string)>(() =>
        {
            Interlocked.Increment(ref _handled);
            throw new InvalidOperationException("the handler failed on purpose");
        }), "GET", "POST");
    }, test);

    /// <summary>A good call of <see cref="Client"/> to <paramref name="server"/>, sealed for <see cref="ServerKey"/> unless told.</summary>
    protected SealedCall Sealed(TFixture server, string method, string target, string? json = null, DateTimeOffset? now = null,
        PublicKey? recipient = null, PrivateKey? sender = null, string? authority = null) =>
        SealedCall.Seal(sender ?? Client, recipient ?? ServerKey, method, authority ?? server.BaseAddress.Authority, target,
            json is null ? null : "application/json", json, now);

    /// <summary>The call was refused before it was authenticated: status, a plain problem whose detail names the check, nothing handled, and the server still serves.</summary>
    protected async Task AssertRefusedInClear(TFixture server, SealedCall call, int status, params string[] detailParts)
    {
        var answer = await call.SendAsync(server.Client);
        AssertPlainProblem(answer, status, detailParts);
        await AssertNothingHandledAndStillServes(server);
    }

    /// <summary>A plain (unsealed, unsigned) problem+json answer of <paramref name="status"/> whose detail holds every part.</summary>
    protected static void AssertPlainProblem(WireAnswer answer, int status, params string[] detailParts)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer}");
        Assert.False(answer.IsSealed, $"a refusal of steps a-g is answered plain: {answer}");
        Assert.Null(answer.Envelope.ResponseNonce);
        Assert.Null(answer.Envelope.SenderSignature);
        Assert.Null(answer.Envelope.SenderPublicKey);
        Assert.Equal("application/problem+json", answer.MediaType);
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        foreach (var part in detailParts) Assert.Contains(part, answer.Detail);
    }

    /// <summary>A sealed answer of <paramref name="status"/>, signed by the server key; returns its opened body.</summary>
    protected static byte[] AssertSealed(WireAnswer answer, SealedCall call, int status)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer}");
        Assert.True(answer.IsSealed, $"from step h on every answer is sealed: {answer}");
        Assert.Equal(UsrvEnvelope.Scheme, answer.Envelope.Scheme);
        Assert.Equal(ServerKey.ToString(), answer.Envelope.SenderPublicKey);
        Assert.NotNull(answer.Envelope.ResponseNonce);
        return answer.OpenWith(call.Sealing);
    }

    /// <summary>Nothing reached a handler, and a good sealed call is still served (and handled).</summary>
    protected Task AssertNothingHandledAndStillServes(TFixture server) => AssertStillServes(server, handledBefore: 0);

    /// <summary><paramref name="handledBefore"/> handler calls so far, and a good sealed call is still served (and handled).</summary>
    protected async Task AssertStillServes(TFixture server, int handledBefore)
    {
        Assert.Equal(handledBefore, Handled);
        var good = Sealed(server, "POST", "/echo?name=still", """{"ok":true}""");
        var opened = Encoding.UTF8.GetString(AssertSealed(await good.SendAsync(server.Client), good, 200));
        Assert.Equal($$"""["still","{\"ok\":true}","{{Client.PublicKey}}"]""", opened);
        Assert.Equal(handledBefore + 1, Handled);
    }

    /// <summary>The server key's <c>0x04 || x || y</c> with y changed by one bit: off the curve.</summary>
    protected static byte[] OffCurveUncompressed()
    {
        var bytes = ServerKey.ToUncompressed();
        bytes[^1] ^= 0x01;
        return bytes;
    }
}

/// <summary>
/// usrv/2 over real sockets (DESIGN section 5): each row a–g of the server's table refused plain, with the status and a
/// detail that names the check, before any handler runs; from step h on every answer sealed, whatever its status;
/// and the handler seeing the plaintext and the verified sender. Each test starts its own host (a fresh replay guard,
/// an exact handler count). Written once, run on every host kind (see the subclasses).
/// </summary>
public abstract class SealedBodiesTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    : SealedHostTests<TFixture>(runAsync)
    where TFixture : RouterHostFixture
{
    // ---------------------------------------------------------------- sealed answers (step h on)

    [Fact]
    public async Task A_sealed_post_to_a_json_handler_answers_200_sealed_and_opens_to_its_json()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/order", """{"item":"tea","count":21}""");

            var answer = await call.SendAsync(server.Client);

            // On the wire: the plaintext's Content-Type, the server's key and signature, and a body that is not the JSON.
            Assert.Equal("application/json; charset=utf-8", answer.ContentType);
            Assert.DoesNotContain("tea", Encoding.Latin1.GetString(answer.Body));
            var opened = AssertSealed(answer, call, 200);
            Assert.Equal("""["tea",42]""", Encoding.UTF8.GetString(opened));
            Assert.Equal(1, Handled);
        });
    }

    [Fact]
    public async Task The_handler_sees_the_plaintext_body_and_the_callers_key_as_Sender()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo?name=n", """{"k":1}""");

            var opened = AssertSealed(await call.SendAsync(server.Client), call, 200);

            // usrv's data is the opened body as text (its Content-Type says JSON text), never the ciphertext.
            Assert.Equal($$"""["n","{\"k\":1}","{{Client.PublicKey}}"]""", Encoding.UTF8.GetString(opened));
            Assert.Equal(Client.PublicKey, LastSender);
        });
    }

    [Fact]
    public async Task A_sealed_get_without_a_body_answers_sealed()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "GET", "/echo?name=g");
            Assert.Empty(call.Body); // a GET stays a GET without content

            var opened = AssertSealed(await call.SendAsync(server.Client), call, 200);

            using var json = JsonDocument.Parse(opened);
            Assert.Equal("g", json.RootElement[0].GetString());
            Assert.Equal(Client.PublicKey.ToString(), json.RootElement[2].GetString());
            Assert.Equal(Client.PublicKey, LastSender);
        });
    }

    [Fact]
    public async Task A_sealed_head_answers_sealed_with_no_content()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "HEAD", "/echo?name=h");

            var answer = await call.SendAsync(server.Client);

            Assert.Empty(answer.Body);
            Assert.Empty(AssertSealed(answer, call, 200)); // status and content type are signed; nothing to open
        });
    }

    [Fact]
    public async Task A_sealed_call_to_a_missing_route_answers_404_sealed()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/nowhere", "{}");

            var answer = await call.SendAsync(server.Client);

            Assert.Equal("application/problem+json", answer.MediaType);
            using var problem = JsonDocument.Parse(AssertSealed(answer, call, 404));
            Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("/nowhere", problem.RootElement.GetProperty("detail").GetString());
            Assert.Equal(0, Handled);
        });
    }

    [Fact]
    public async Task h_A_sender_outside_the_endpoints_set_is_403_sealed_and_a_plain_call_is_401()
    {
        using var partner = PrivateKey.Generate();
        var partnerCalls = 0;
        await Serve(async server =>
        {
            // Not admitted: refused after authentication, so the refusal is sealed and signed.
            var stranger = Sealed(server, "POST", "/partners", "{}");
            using (var problem = JsonDocument.Parse(AssertSealed(await stranger.SendAsync(server.Client), stranger, 403)))
                Assert.Contains("partners", problem.RootElement.GetProperty("detail").GetString());

            // A plain call: 401, plain.
            using var plain = await server.Client.PostAsync("/partners", new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.Equal(401, (int)plain.StatusCode);
            Assert.False(plain.Headers.Contains(EnvelopeHeaders.UsrvScheme));
            Assert.Equal(0, partnerCalls);

            // The partner is admitted.
            var admitted = Sealed(server, "POST", "/partners", "{}", sender: partner);
            Assert.Equal("\"admitted\"", Encoding.UTF8.GetString(AssertSealed(await admitted.SendAsync(server.Client), admitted, 200)));
            Assert.Equal(1, partnerCalls);
        }, s =>
        {
            s.RouterOptions.Senders["partners"] = [partner.PublicKey];
            s.Router.Bind("/partners", [RequireSender("partners")] () =>
            {
                Interlocked.Increment(ref partnerCalls);
                return (200, "admitted");
            }, "POST");
        });
    }

    [Fact]
    public async Task Rotation_the_old_key_serves_during_its_grace_then_RefreshServerKeyAsync_moves_the_client()
    {
        using var newKey = PrivateKey.Generate();
        await Serve(async server =>
        {
            using var peer = new Usrv.Route.Client.Peer(server.BaseAddress.ToString(), new Usrv.Route.Client.PeerOptions { ServerKey = ServerKey, Identity = Client });

            // Still sealed for the old key: served and answered by it during the grace period.
            var old = await peer.SendAsync(new Usrv.Route.Client.PeerCall(HttpMethod.Post, "/echo?name=old") { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
            Assert.Equal(200, old.Status);
            Assert.Equal(ServerKey, old.SealedBy);

            Assert.Equal(newKey.PublicKey, await peer.RefreshServerKeyAsync());
            var moved = await peer.SendAsync(new Usrv.Route.Client.PeerCall(HttpMethod.Post, "/echo?name=new") { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
            Assert.Equal(200, moved.Status);
            Assert.Equal(newKey.PublicKey, moved.SealedBy);
        }, s =>
        {
            s.RouterOptions.PreviousKeys.Add(new PreviousKey(ServerIdentity, DateTimeOffset.UtcNow.AddHours(1)));
            s.RouterOptions.Identity = newKey;
        });
    }

    [Fact]
    public async Task Rotation_after_the_retire_time_a_call_for_the_old_key_is_400_naming_the_current_key()
    {
        using var newKey = PrivateKey.Generate();
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo", "{}");
            AssertPlainProblem(await call.SendAsync(server.Client), 400, newKey.PublicKey.ToString());
            Assert.Equal(0, Handled);
        }, s =>
        {
            s.RouterOptions.PreviousKeys.Add(new PreviousKey(ServerIdentity, DateTimeOffset.UtcNow.AddSeconds(-1)));
            s.RouterOptions.Identity = newKey;
        });
    }

    [Fact]
    public async Task A_sealed_call_with_a_method_not_bound_answers_405_sealed()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "DELETE", "/order");

            using var problem = JsonDocument.Parse(AssertSealed(await call.SendAsync(server.Client), call, 405));

            Assert.Equal(405, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(0, Handled);
        });
    }

    [Fact]
    public async Task A_handler_that_throws_answers_500_sealed()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/boom", "{}");

            using var problem = JsonDocument.Parse(AssertSealed(await call.SendAsync(server.Client), call, 500));

            Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(1, Handled);
        });
    }

    [Fact]
    public async Task A_json_body_the_handler_cannot_bind_answers_400_sealed()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/order", """{"item":"tea","count":"many"}""");

            using var problem = JsonDocument.Parse(AssertSealed(await call.SendAsync(server.Client), call, 400));

            Assert.Contains("order", problem.RootElement.GetProperty("detail").GetString());
            Assert.Equal(0, Handled);
        });
    }

    // ---------------------------------------------------------------- a: the scheme, 415

    [Fact]
    public async Task a_Another_Usrv_Scheme_is_415()
    {
        await Serve(server => AssertRefusedInClear(server,
            Sealed(server, "POST", "/echo", "{}").With(EnvelopeHeaders.UsrvScheme, "usrv/3"),
            415, "'usrv/3' is not spoken here", "usrv/2"));
    }

    [Fact]
    public async Task a_A_usrv1_request_with_Usrv_Cipher_is_415_saying_use_usrv2()
    {
        await Serve(server => AssertRefusedInClear(server,
            Sealed(server, "POST", "/echo", "{}").Without(EnvelopeHeaders.UsrvScheme).With(EnvelopeHeaders.LegacyUsrvCipher, "aes-256-gcm"),
            415, "usrv/1", "retired", "usrv/2"));
    }

    [Fact]
    public async Task a_Usrv_04s_header_set_without_Usrv_Scheme_is_415()
    {
        await Serve(server => AssertRefusedInClear(server,
            Sealed(server, "POST", "/echo", "{}").Without(EnvelopeHeaders.UsrvScheme),
            415, "usrv 0.4", "usrv/2"));
    }

    // ---------------------------------------------------------------- b: the header set, 400

    [Theory]
    [InlineData(EnvelopeHeaders.Nonce)]
    [InlineData(EnvelopeHeaders.EphemeralPublicKey)]
    [InlineData(EnvelopeHeaders.SenderPublicKey)]
    [InlineData(EnvelopeHeaders.RecipientPublicKey)]
    [InlineData(EnvelopeHeaders.SenderSignature)]
    public async Task b_A_missing_header_of_the_set_is_400_naming_it(string missing)
    {
        await Serve(server => AssertRefusedInClear(server, Sealed(server, "POST", "/echo", "{}").Without(missing), 400, $"lacks {missing}"));
    }

    /// <summary>Malformed headers: (header, value, what the detail says).</summary>
    public static TheoryData<string, string, string> MalformedHeaders => new()
    {
        { EnvelopeHeaders.SenderSignature, "not base64!", "Sender-Signature is not base64 of a 64-byte BIP340 signature" },
        { EnvelopeHeaders.SenderSignature, Convert.ToBase64String(new byte[63]), "Sender-Signature is not base64 of a 64-byte BIP340 signature" },
        { EnvelopeHeaders.EphemeralPublicKey, Convert.ToBase64String(OffCurveUncompressed()), "Ephemeral-Public-Key is not a 65-byte SEC1 uncompressed point of secp256k1" },
        { EnvelopeHeaders.EphemeralPublicKey, ServerKey.ToString(), "Ephemeral-Public-Key is not base64 of a 65-byte SEC1 uncompressed point" }, // 33 bytes
        { EnvelopeHeaders.SenderPublicKey, Convert.ToBase64String(OffCurveUncompressed()), "Sender-Public-Key is not a valid secp256k1 public key" },
        { EnvelopeHeaders.RecipientPublicKey, Convert.ToBase64String(OffCurveUncompressed()), "Recipient-Public-Key is not a valid secp256k1 public key" },
        { EnvelopeHeaders.Nonce, "yesterday", "is not an ISO 8601 timestamp" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public async Task b_A_malformed_header_is_400_saying_what_is_wrong(string header, string value, string detail)
    {
        await Serve(server => AssertRefusedInClear(server, Sealed(server, "POST", "/echo", "{}").With(header, value), 400, detail));
    }

    // ---------------------------------------------------------------- c: the recipient, 400

    [Fact]
    public async Task c_A_call_sealed_for_another_key_is_400_naming_the_servers_current_key()
    {
        await Serve(async server =>
        {
            using var other = PrivateKey.Generate();

            await AssertRefusedInClear(server, Sealed(server, "POST", "/echo", "{}", recipient: other.PublicKey),
                400, $"{other.PublicKey} is not a key of this server", $"seal for its current key {ServerKey}");
        });
    }

    // ---------------------------------------------------------------- d: the nonce window, 412

    [Theory]
    [InlineData(-11, "stale")]
    [InlineData(11, "too far in the future")]
    public async Task d_A_nonce_outside_the_10_second_window_is_412(int seconds, string detail)
    {
        await Serve(server => AssertRefusedInClear(server,
            Sealed(server, "POST", "/echo", "{}", now: DateTimeOffset.UtcNow.AddSeconds(seconds)), 412, detail));
    }

    // ---------------------------------------------------------------- e: the signature, 401

    [Fact]
    public async Task e_A_signature_made_by_another_key_is_401()
    {
        await Serve(async server =>
        {
            using var other = PrivateKey.Generate();
            var call = Sealed(server, "POST", "/echo", "{}");

            // The right digest, signed by someone else: Sender-Public-Key still names the client.
            var forged = call.With(EnvelopeHeaders.SenderSignature, Convert.ToBase64String(other.Sign(call.Digest(ServerKey))));

            await AssertRefusedInClear(server, forged, 401, "Sender-Signature does not verify");
        });
    }

    [Fact]
    public async Task e_A_flipped_signature_byte_is_401()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo", "{}");
            var signature = Convert.FromBase64String(call.Header(EnvelopeHeaders.SenderSignature)!);
            signature[17] ^= 0x01;

            await AssertRefusedInClear(server, call.With(EnvelopeHeaders.SenderSignature, Convert.ToBase64String(signature)), 401, "does not verify");
        });
    }

    [Fact]
    public async Task e_A_body_altered_after_signing_is_401()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo", """{"k":"a plaintext"}""");
            var body = call.Body.ToArray();
            body[^1] ^= 0x80;

            await AssertRefusedInClear(server, call with { Body = body }, 401, "does not verify");
        });
    }

    [Fact]
    public async Task e_A_target_changed_after_signing_is_401()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo?name=alice", "{}");

            await AssertRefusedInClear(server, call with { Target = "/echo?name=mallory" }, 401, "does not verify");
        });
    }

    [Fact]
    public async Task e_A_content_type_changed_after_signing_is_401()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo", "{}");

            await AssertRefusedInClear(server, call with { ContentType = "text/plain" }, 401, "does not verify");
        });
    }

    [Fact]
    public async Task e_A_call_signed_for_another_authority_is_401()
    {
        await Serve(async server =>
        {
            // Signed for localhost:PORT, delivered to 127.0.0.1:PORT (the Host header says so).
            var call = Sealed(server, "POST", "/echo", "{}", authority: $"localhost:{server.Port}");

            await AssertRefusedInClear(server, call, 401, "does not verify");
        });
    }

    // ---------------------------------------------------------------- f: the replay store, 412

    [Fact]
    public async Task f_The_same_request_sent_twice_is_412_the_second_time()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo?name=once", "{}");
            AssertSealed(await call.SendAsync(server.Client), call, 200);

            AssertPlainProblem(await call.SendAsync(server.Client), 412, "replayed");

            await AssertStillServes(server, handledBefore: 1);
        });
    }

    [Fact]
    public async Task f_A_nonce_reused_by_the_same_sender_for_another_call_is_412()
    {
        await Serve(async server =>
        {
            var now = DateTimeOffset.UtcNow;
            var first = Sealed(server, "POST", "/echo?name=1", """{"n":1}""", now: now);
            AssertSealed(await first.SendAsync(server.Client), first, 200);

            AssertPlainProblem(await Sealed(server, "POST", "/echo?name=2", """{"n":2}""", now: now).SendAsync(server.Client), 412, "replayed");

            await AssertStillServes(server, handledBefore: 1);
        });
    }

    // ---------------------------------------------------------------- g: the body opens, 400

    [Fact]
    public async Task g_A_body_of_garbage_signed_by_its_sender_is_400()
    {
        await Serve(async server =>
        {
            var call = Sealed(server, "POST", "/echo", """{"k":"a plaintext"}""");
            // The sender signs whatever it sends: the signature verifies, the body does not open.
            var garbage = call with { Body = RandomNumberGenerator.GetBytes(call.Body.Length) };

            await AssertRefusedInClear(server, garbage.SignedBy(Client, ServerKey), 400, "does not open");
        });
    }

    [Fact]
    public async Task g_A_body_sealed_under_another_content_type_and_re_signed_is_400()
    {
        await Serve(async server =>
        {
            // Sealed with aad R naming text/plain, then relabelled application/json and signed as sent.
            var call = SealedCall.Seal(Client, ServerKey, "POST", server.BaseAddress.Authority, "/echo", "text/plain", "{}");
            var relabelled = call with { ContentType = "application/json" };

            await AssertRefusedInClear(server, relabelled.SignedBy(Client, ServerKey), 400, "does not open");
        });
    }

    // ---------------------------------------------------------------- the Peer client

    [Fact]
    public async Task Peer_raises_an_unauthenticated_error_for_a_plain_refusal_and_an_authenticated_one_for_a_sealed_404()
    {
        await Serve(async server =>
        {
            using var other = PrivateKey.Generate();
            using (var wrong = new Peer(server.BaseAddress.ToString(), new PeerOptions { Identity = Client, ServerKey = other.PublicKey }))
            {
                var refused = await Assert.ThrowsAsync<UsrvCallException>(() => wrong.PostAsync<object>("/echo", new { k = 1 }));
                Assert.Equal(400, refused.Status);
                Assert.False(refused.IsAuthenticated); // step c, answered plain: the server never authenticated the call
                Assert.Contains(ServerKey.ToString(), refused.Detail);
            }

            using var peer = new Peer(server.BaseAddress.ToString(), new PeerOptions { Identity = Client, ServerKey = ServerKey });
            var missing = await Assert.ThrowsAsync<UsrvCallException>(() => peer.GetAsync<object>("/nowhere"));
            Assert.Equal(404, missing.Status);
            Assert.True(missing.IsAuthenticated); // sealed and signed by the server key for this very request

            var echo = await peer.GetAsync<string?[]>("/echo", new { name = "peer" });
            Assert.Equal("peer", echo![0]);
            Assert.Equal(Client.PublicKey.ToString(), echo[2]);
            Assert.Equal(1, Handled);
        });
    }
}

/// <summary>Sealed bodies on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostSealedBodiesTests() : SealedBodiesTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>The same sealed bodies on Kestrel through the ASP.NET Core adapter.</summary>
public sealed class KestrelHostSealedBodiesTests() : SealedBodiesTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
