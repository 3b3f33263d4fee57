using System.Text;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>The sealed-body pipeline of DESIGN section 5, in-process (the host tests repeat it over sockets).</summary>
public sealed class PipelineTests : IDisposable
{
    public static class Api
    {
        [Bind("/kwargs", "GET", "POST")]
        public static (int, object?, IDictionary<string, object?>?) Kwargs(object? name, IDictionary<string, object?>? kwargs = null) => (200, name, kwargs);

        [Bind("/whoami", "POST")]
        public static (int, string?) WhoAmI(UsrvRequest request) => (200, request.Sender?.ToString());

        [Bind("/fail", "POST")]
        public static (int, string) Fail() => (409, "conflict");
    }

    private readonly PrivateKey _server = PrivateKey.Generate();
    private readonly PrivateKey _client = PrivateKey.Generate();
    private readonly Router _router;

    public PipelineTests() => _router = new Router(new RouterOptions { Identity = _server }).BindType(typeof(Api));

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
    }

    private static UsrvRequest Request(string method, string target, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, string contentType = "application/json") =>
        new(method, target, RequestHeaders.From([.. headers, new("Content-Type", contentType)]), new MemoryStream(body)) { ContentLength = body.Length, RemoteAddress = "127.0.0.1:1234" };

    private UsrvRequest Sealed(string target, string json, PublicKey? serverKey = null, DateTimeOffset? now = null)
    {
        var message = UsrvEnvelope.SealRequest(_client, serverKey ?? _server.PublicKey, "POST", target, Encoding.UTF8.GetBytes(json), now ?? DateTimeOffset.UtcNow);
        return Request("POST", target, message.Body, message.Headers.ToPairs());
    }

    private string Open(UsrvResponse response, string? nonce)
    {
        var headers = EnvelopeHeaders.From(name => response.Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value);
        Assert.True(headers.IsSealed, "the answer must be sealed");
        var opened = UsrvEnvelope.OpenResponse(_client, _server.PublicKey, response.Status, nonce, headers, response.Body.Span);
        return Encoding.UTF8.GetString(opened.Plaintext);
    }

    [Fact]
    public async Task A_sealed_request_reaches_the_handler_as_plaintext_and_the_answer_comes_back_sealed()
    {
        var request = Sealed("/kwargs?name=n", "{\"k\":1}");
        var nonce = request.Headers["Nonce"];
        var response = await _router.HandleAsync(request);

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json; charset=utf-8", response.ContentType); // the plaintext's type
        var answer = Open(response, nonce);
        Assert.Contains("\"data\":\"{\\\"k\\\":1}\"", answer);
    }

    [Fact]
    public async Task Handlers_see_the_verified_sender()
    {
        var request = Sealed("/whoami", "{}");
        var response = await _router.HandleAsync(request);
        Assert.Equal($"\"{_client.PublicKey}\"", Open(response, request.Headers["Nonce"]));
    }

    [Fact]
    public async Task A_plain_request_with_sender_public_key_gets_a_sealed_answer()
    {
        var nonce = Nonce.Format(DateTimeOffset.UtcNow);
        var request = new UsrvRequest("GET", "/kwargs?name=n", RequestHeaders.From([new("Sender-Public-Key", _client.PublicKey.ToString()), new("Nonce", nonce)]));
        var response = await _router.HandleAsync(request);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("[\"n\",", Open(response, nonce));
    }

    [Fact]
    public async Task Problems_are_sealed_too()
    {
        var request = Sealed("/fail", "{}");
        var response = await _router.HandleAsync(request);
        Assert.Equal(409, response.Status);
        Assert.Contains("conflict", Open(response, request.Headers["Nonce"]));
    }

    [Fact]
    public async Task A_replayed_request_is_a_412()
    {
        var message = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/kwargs", "{}"u8, DateTimeOffset.UtcNow);
        Assert.Equal(200, (await _router.HandleAsync(Request("POST", "/kwargs", message.Body, message.Headers.ToPairs()))).Status);
        var replay = await _router.HandleAsync(Request("POST", "/kwargs", message.Body, message.Headers.ToPairs()));
        Assert.Equal(412, replay.Status);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(60)]
    public async Task A_stale_or_future_nonce_is_a_412(int seconds)
    {
        var response = await _router.HandleAsync(Sealed("/kwargs", "{}", now: DateTimeOffset.UtcNow.AddSeconds(seconds)));
        Assert.Equal(412, response.Status);
    }

    [Fact]
    public async Task A_plain_nonce_is_accepted_once_per_client_address()
    {
        var nonce = Nonce.Format(DateTimeOffset.UtcNow);
        UsrvRequest Plain(string remote) => new("GET", "/kwargs", RequestHeaders.From([new("Nonce", nonce)])) { RemoteAddress = remote };
        Assert.Equal(200, (await _router.HandleAsync(Plain("127.0.0.1:50001"))).Status);
        Assert.Equal(412, (await _router.HandleAsync(Plain("127.0.0.1:50002"))).Status); // same client, another connection
        Assert.Equal(200, (await _router.HandleAsync(Plain("[::1]:50001"))).Status);     // another client
    }

    [Fact]
    public async Task A_body_sealed_for_another_key_is_a_400_naming_this_servers_key()
    {
        using var other = PrivateKey.Generate();
        var request = Sealed("/kwargs", "{}", other.PublicKey);
        var response = await _router.HandleAsync(request);
        Assert.Equal(400, response.Status);
        Assert.Contains(_server.PublicKey.ToString(), Open(response, request.Headers["Nonce"])); // errors are sealed for a valid Sender-Public-Key too
    }

    [Fact]
    public async Task A_flipped_bit_is_a_401_and_never_reaches_the_handler()
    {
        var message = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/whoami", "{}"u8, DateTimeOffset.UtcNow);
        message.Body[^1] ^= 1;
        var response = await _router.HandleAsync(Request("POST", "/whoami", message.Body, message.Headers.ToPairs()));
        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task A_signature_bound_to_another_target_is_a_401()
    {
        var message = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/kwargs?name=a", "{}"u8, DateTimeOffset.UtcNow);
        var response = await _router.HandleAsync(Request("POST", "/kwargs?name=b", message.Body, message.Headers.ToPairs()));
        Assert.Equal(401, response.Status);
    }

    [Theory]
    [InlineData("Sender-Public-Key", "not base64!")]
    [InlineData("Sender-Public-Key", "AAAA")]
    [InlineData("Ephemeral-Public-Key", "AAAA")]
    [InlineData("Sender-Signature", "AAAA")]
    [InlineData("Nonce", "yesterday")]
    public async Task Malformed_headers_are_a_4xx_never_a_500(string name, string value)
    {
        var message = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/kwargs", "{}"u8, DateTimeOffset.UtcNow);
        var headers = message.Headers.ToPairs().Select(h => h.Key == name ? new KeyValuePair<string, string>(name, value) : h);
        var response = await _router.HandleAsync(Request("POST", "/kwargs", message.Body, headers));
        Assert.InRange(response.Status, 400, 412);
        Assert.Equal("application/problem+json", response.ContentType); // sealed or not, the plaintext's type
    }

    [Fact]
    public async Task An_unknown_cipher_is_a_415_and_usrv_04_headers_say_so()
    {
        var message = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/kwargs", "{}"u8, DateTimeOffset.UtcNow);
        var rot13 = message.Headers.ToPairs().Select(h => h.Key == "Usrv-Cipher" ? new KeyValuePair<string, string>(h.Key, "rot13") : h);
        Assert.Equal(415, (await _router.HandleAsync(Request("POST", "/kwargs", message.Body, rot13))).Status);

        var usrv04 = message.Headers.ToPairs().Where(h => h.Key != "Usrv-Cipher");
        var response = await _router.HandleAsync(Request("POST", "/kwargs", message.Body, usrv04));
        Assert.Equal(415, response.Status);
        Assert.Contains("0.4", Open(response, message.Headers.Nonce));
    }
}
