using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Usrv.Crypto;
using Usrv.Route.Client;

namespace Usrv.Host.Tests;

/// <summary>
/// usrv 0.4.3's sealed scheme over real sockets on every host kind (DESIGN, Talking to usrv 0.4 peers): refused as 415
/// without <see cref="RouterOptions.AcceptUsrv04"/>; with it, opened and answered as usrv 0.4 does, and failing closed
/// where usrv 0.4 passes a request on in clear. The .NET client in <see cref="SealScheme.Usrv04"/> mode against it.
/// </summary>
public abstract class Usrv04SealedTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    : SealedHostTests<TFixture>(runAsync)
    where TFixture : RouterHostFixture
{
    private const string Json = """{"value1": 1, "value2": 2}""";

    private Task Serve04(Func<TFixture, Task> test, Action<RouterHostFixture.Settings>? configure = null) =>
        Serve(test, s =>
        {
            s.RouterOptions.AcceptUsrv04 = true;
            configure?.Invoke(s);
        });

    // A usrv 0.4 request of Client for ServerKey, as usrv 0.4.3's req.py sends it; headers and body may be changed.
    private HttpRequestMessage Request04(
        string method, string target, string? json, Func<Usrv04Headers, Usrv04Headers>? change = null, string? body = null,
        DateTimeOffset? now = null)
    {
        var sealedRequest = Usrv04Envelope.SealRequest(Client, ServerKey, Encoding.UTF8.GetBytes(json ?? ""), now ?? DateTimeOffset.UtcNow);
        var headers = change?.Invoke(sealedRequest.Headers) ?? sealedRequest.Headers;
        var request = new HttpRequestMessage(new HttpMethod(method), target);
        var sent = body ?? sealedRequest.Body;
        if (json is not null || sent.Length > 0)
        {
            request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(sent));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        foreach (var (name, value) in headers.ToPairs()) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static Usrv04Headers AnswerHeaders(HttpResponseMessage response) =>
        Usrv04Headers.From(name => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null);

    private async Task AssertRefusedPlain(TFixture server, HttpRequestMessage request, int status, string says)
    {
        using (request)
        {
            using var response = await server.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode} {text}");
            Assert.Contains(says, text);
            Assert.False(AnswerHeaders(response).ClaimsSealed, "an error is answered in clear");
            Assert.Equal(0, Handled);
        }
    }

    [Fact]
    public async Task Without_the_option_a_usrv04_request_is_415_in_clear()
    {
        await Serve(async server =>
            await AssertRefusedPlain(server, Request04("POST", "/echo?name=a", Json), 415, "usrv 0.4"),
            s => s.RouterOptions.AcceptUsrv04 = false);
    }

    [Fact]
    public async Task A_usrv04_POST_is_decrypted_for_the_handler_and_answered_sealed_for_the_sender()
    {
        await Serve04(async server =>
        {
            using var request = Request04("POST", "/echo?name=a", Json);
            using var response = await server.Client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();

            Assert.Equal(200, (int)response.StatusCode);
            var headers = AnswerHeaders(response);
            Assert.Equal(ServerKey.ToUsrv04Base64(), headers.SenderPublicKey);
            Assert.True(Usrv04Ecies.TryDecodeHex(Encoding.ASCII.GetString(body), out _), "the answer is hex text");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var opened = Usrv04Envelope.OpenResponse(Client, ServerKey, headers, body);
            // The handler saw the plaintext, and no Sender: usrv 0.4 proves no authorship.
            Assert.Equal("""["a","{\"value1\": 1, \"value2\": 2}",null]""", Encoding.UTF8.GetString(opened));
            Assert.Equal(1, Handled);
            Assert.Null(LastSender);
        });
    }

    [Fact]
    public async Task A_usrv04_GET_is_signed_over_the_empty_body_and_answered_sealed()
    {
        await Serve04(async server =>
        {
            using var request = Request04("GET", "/echo?name=g", null);
            using var response = await server.Client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();

            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("""["g",null,null]""", Encoding.UTF8.GetString(Usrv04Envelope.OpenResponse(Client, ServerKey, AnswerHeaders(response), body)));
        });
    }

    [Fact]
    public async Task A_usrv04_GET_with_a_bad_signature_is_401_in_clear()
    {
        await Serve04(async server =>
        {
            using var other = PrivateKey.Generate();
            await AssertRefusedPlain(server, Request04("GET", "/echo?name=g", null,
                h => h with { SenderSignature = Convert.ToBase64String(other.SignSha256Utf8(h.EphemeralPublicKey + h.Nonce)) }),
                401, "does not verify");
        });
    }

    [Fact]
    public async Task A_missing_signature_is_401_in_clear()
    {
        await Serve04(async server =>
            await AssertRefusedPlain(server, Request04("POST", "/echo?name=a", Json, h => h with { SenderSignature = null }),
                401, "Sender-Signature"));
    }

    [Fact]
    public async Task A_bad_signature_is_401_in_clear()
    {
        await Serve04(async server =>
        {
            // An attacker alters the ciphertext (CTR has no tag): only the signature notices.
            var request = Request04("POST", "/echo?name=a", Json);
            var hex = Encoding.ASCII.GetString(await request.Content!.ReadAsByteArrayAsync());
            var altered = (hex[0] == '0' ? "1" : "0") + hex[1..];
            request.Dispose();
            await AssertRefusedPlain(server, Request04("POST", "/echo?name=a", Json, body: altered), 401, "does not verify");
        });
    }

    public static TheoryData<string, string?> BadNonces() => new()
    {
        { "missing", null },
        { "stale", Nonce.Format(DateTimeOffset.UtcNow.AddMinutes(-5)) },
        { "future", Nonce.Format(DateTimeOffset.UtcNow.AddMinutes(5)) },
        { "without a time zone", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture) },
    };

    [Theory]
    [MemberData(nameof(BadNonces))]
    public async Task A_bad_nonce_is_412_in_clear(string why, string? nonce)
    {
        await Serve04(async server =>
        {
            // Signed over the bad nonce, so only the nonce is wrong.
            var sealedRequest = Usrv04Envelope.SealRequest(Client, ServerKey, Encoding.UTF8.GetBytes(Json), DateTimeOffset.UtcNow);
            var r = sealedRequest.Headers.EphemeralPublicKey!;
            var signature = Convert.ToBase64String(Client.SignSha256Utf8(Usrv04Envelope.RequestMessage(sealedRequest.Body, r, nonce ?? "")));
            await AssertRefusedPlain(server,
                Request04("POST", "/echo?name=a", Json, h => sealedRequest.Headers with { Nonce = nonce, SenderSignature = signature },
                    body: sealedRequest.Body),
                412, why == "missing" ? "lacks Nonce" : "once");
        });
    }

    [Fact]
    public async Task A_replayed_request_is_412_in_clear()
    {
        await Serve04(async server =>
        {
            var first = Request04("POST", "/echo?name=a", Json);
            var replay = new HttpRequestMessage(HttpMethod.Post, "/echo?name=a")
            {
                Content = new ByteArrayContent(await first.Content!.ReadAsByteArrayAsync()),
            };
            replay.Content.Headers.ContentType = first.Content.Headers.ContentType;
            foreach (var header in first.Headers) replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            using (first)
            using (var response = await server.Client.SendAsync(first))
            {
                Assert.Equal(200, (int)response.StatusCode);
            }
            using (replay)
            using (var response = await server.Client.SendAsync(replay))
            {
                Assert.Equal(412, (int)response.StatusCode);
                Assert.Contains("replayed", await response.Content.ReadAsStringAsync());
                Assert.False(AnswerHeaders(response).ClaimsSealed);
            }
            Assert.Equal(1, Handled);
        });
    }

    [Fact]
    public async Task A_signed_body_that_is_not_hex_is_400_in_clear()
    {
        await Serve04(async server =>
        {
            using var ephemeral = PrivateKey.Generate();
            var r = ephemeral.PublicKey.ToUsrv04Base64();
            var nonce = Nonce.Format(DateTimeOffset.UtcNow);
            var signature = Convert.ToBase64String(Client.SignSha256Utf8(Usrv04Envelope.RequestMessage(Json, r, nonce)));
            await AssertRefusedPlain(server,
                Request04("POST", "/echo?name=a", Json,
                    _ => new Usrv04Headers(nonce, r, Client.PublicKey.ToUsrv04Base64(), signature), body: Json),
                400, "not hex");
        });
    }

    [Fact]
    public async Task A_handler_error_is_answered_in_clear()
    {
        await Serve04(async server =>
        {
            using var request = Request04("POST", "/boom", Json);
            using var response = await server.Client.SendAsync(request);
            Assert.Equal(500, (int)response.StatusCode);
            Assert.False(AnswerHeaders(response).ClaimsSealed);
        });
    }

    [Fact]
    public async Task Each_sender_key_is_logged_once_as_insecure()
    {
        using var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(lines));
        await Serve04(async server =>
        {
            for (var i = 0; i < 3; i++)
            {
                using var request = Request04("POST", $"/echo?name={i}", Json);
                using var response = await server.Client.SendAsync(request);
                Assert.Equal(200, (int)response.StatusCode);
            }
            var warnings = lines.Lines.Where(l => l.Level == LogLevel.Warning && l.Message.Contains("usrv 0.4")).ToList();
            var warning = Assert.Single(warnings);
            Assert.Contains("insecure", warning.Message);
            Assert.Contains(Client.PublicKey.ToUsrv04Base64(), warning.Message);
        }, s => s.Loggers = loggers);
    }

    [Fact]
    public async Task The_dotnet_client_in_usrv04_mode_round_trips_a_JSON_POST()
    {
        await Serve04(async server =>
        {
            using var peer = new Peer(server.BaseAddress.ToString(),
                new PeerOptions { Identity = Client, ServerKey = ServerKey, Scheme = SealScheme.Usrv04 });

            var answer = await peer.PostAsync<JsonElement>("/echo?name=peer", new { value1 = 1, value2 = 2 });
            var typed = await peer.GetAsync<JsonElement>("/echo", new { name = "get" });

            Assert.Equal("peer", answer[0].GetString());
            Assert.Equal("""{"value1":1,"value2":2}""", answer[1].GetString());
            Assert.Equal(JsonValueKind.Null, answer[2].ValueKind);
            Assert.Equal("get", typed[0].GetString());
            Assert.Equal(2, Handled);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_dotnet_client_refuses_an_answer_re_signed_by_another_key(bool namesItself)
    {
        await Serve04(async server =>
        {
            using var mallory = PrivateKey.Generate();
            var handler = new ResigningHandler(mallory, namesItself) { InnerHandler = new SocketsHttpHandler() };
            using var peer = new Peer(server.BaseAddress.ToString(),
                new PeerOptions { Identity = Client, ServerKey = ServerKey, Scheme = SealScheme.Usrv04, Handler = handler });

            var refused = await Assert.ThrowsAsync<UntrustedResponseException>(
                () => peer.PostAsync<JsonElement>("/echo?name=peer", new { value1 = 1 }));

            Assert.Contains(namesItself ? "not by the server key" : "does not verify", refused.Message);
            Assert.Equal(1, Handled);
        });
    }

    [Fact]
    public async Task The_dotnet_client_in_usrv04_mode_refuses_a_success_in_clear_and_logs_once_as_insecure()
    {
        using var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(lines));
        // The server does not speak usrv 0.4 here... and answers 415 in clear: an unauthenticated refusal.
        await Serve(async server =>
        {
            using var peer = new Peer(server.BaseAddress.ToString(), new PeerOptions
            {
                Identity = Client, ServerKey = ServerKey, Scheme = SealScheme.Usrv04, Logger = loggers.CreateLogger("test"),
            });
            var refused = await Assert.ThrowsAsync<UsrvCallException>(() => peer.PostAsync<JsonElement>("/echo", new { a = 1 }));
            Assert.Equal(415, refused.Status);
            Assert.False(refused.IsAuthenticated);
            Assert.Single(lines.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("insecure"));
        });
    }

    [Fact]
    public async Task The_dotnet_client_in_usrv04_mode_refuses_a_success_stripped_to_clear_text()
    {
        await Serve04(async server =>
        {
            var handler = new ResigningHandler(null, false) { InnerHandler = new SocketsHttpHandler() };
            using var peer = new Peer(server.BaseAddress.ToString(),
                new PeerOptions { Identity = Client, ServerKey = ServerKey, Scheme = SealScheme.Usrv04, Handler = handler });

            var refused = await Assert.ThrowsAsync<UntrustedResponseException>(() => peer.GetAsync<JsonElement>("/echo"));
            Assert.Contains("in clear text", refused.Message);
        });
    }

    // Mallory on the path: re-signs the server's answer with her key (naming herself, or still naming the server), or
    // with no key strips the sealing headers.
    private sealed class ResigningHandler(PrivateKey? mallory, bool namesItself) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (mallory is null)
            {
                response.Headers.Remove(EnvelopeHeaders.SenderSignature);
                response.Headers.Remove(EnvelopeHeaders.EphemeralPublicKey);
                response.Headers.Remove(EnvelopeHeaders.SenderPublicKey);
                return response;
            }
            var body = Encoding.ASCII.GetString(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            var r = string.Join(",", response.Headers.GetValues(EnvelopeHeaders.EphemeralPublicKey));
            response.Headers.Remove(EnvelopeHeaders.SenderSignature);
            response.Headers.TryAddWithoutValidation(EnvelopeHeaders.SenderSignature,
                Convert.ToBase64String(mallory.SignSha256Utf8(Usrv04Envelope.ResponseMessage(body, r))));
            if (namesItself)
            {
                response.Headers.Remove(EnvelopeHeaders.SenderPublicKey);
                response.Headers.TryAddWithoutValidation(EnvelopeHeaders.SenderPublicKey, mallory.PublicKey.ToUsrv04Base64());
            }
            return response;
        }
    }
}

/// <summary>usrv 0.4's scheme on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostUsrv04SealedTests() : Usrv04SealedTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>usrv 0.4's scheme on Kestrel through the ASP.NET Core adapter.</summary>
public sealed class KestrelHostUsrv04SealedTests() : Usrv04SealedTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
