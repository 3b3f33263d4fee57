using System.Text;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>The usrv/2 envelope stage of DESIGN sections 2 and 5, in-process (the host tests repeat it over sockets).</summary>
public sealed class PipelineTests : IDisposable
{
    private const string Authority = "127.0.0.1:5000";

    public static class Api
    {
        public static int Calls;

        [Bind("/kwargs", "GET", "POST")]
        public static (int, object?, IDictionary<string, object?>?) Kwargs(object? name, IDictionary<string, object?>? kwargs = null)
        {
            Interlocked.Increment(ref Calls);
            return (200, name, kwargs);
        }

        [Bind("/whoami", "GET", "POST")]
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

    private static UsrvRequest Request(string method, string target, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, string? contentType) =>
        new(method, target, RequestHeaders.From([.. headers, new("Host", Authority), .. contentType is null ? [] : new KeyValuePair<string, string>[] { new("Content-Type", contentType) }]),
            new MemoryStream(body)) { ContentLength = body.Length, RemoteAddress = "127.0.0.1:1234" };

    private SealedRequest Seal(string method, string target, string? json, PublicKey? serverKey = null, DateTimeOffset? now = null, PrivateKey? client = null) =>
        UsrvEnvelope.SealRequest(client ?? _client, serverKey ?? _server.PublicKey,
            new RequestLine(method, Authority, target, json is null ? null : "application/json"),
            json is null ? [] : Encoding.UTF8.GetBytes(json), now ?? DateTimeOffset.UtcNow);

    private static UsrvRequest Send(SealedRequest sealedRequest, string method, string target, bool json = true) =>
        Request(method, target, sealedRequest.Body, sealedRequest.Headers.ToPairs(), json ? "application/json" : null);

    private static string? Header(UsrvResponse response, string name) =>
        response.Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string Open(SealedRequest request, string method, UsrvResponse response)
    {
        var headers = ResponseEnvelope.From(name => Header(response, name));
        Assert.Equal("usrv/2", headers.Scheme);
        var plaintext = UsrvEnvelope.OpenResponse(request, response.Status, response.ContentType, headers, response.Body.Span,
            UsrvEnvelope.CanCarryContent(method, response.Status));
        return Encoding.UTF8.GetString(plaintext);
    }

    [Fact]
    public async Task A_sealed_request_reaches_the_handler_as_plaintext_and_the_answer_comes_back_sealed()
    {
        using var sealedRequest = Seal("POST", "/kwargs?name=n", "{\"k\":1}");
        var response = await _router.HandleAsync(Send(sealedRequest, "POST", "/kwargs?name=n"));

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json; charset=utf-8", response.ContentType); // the plaintext's type
        Assert.Equal(_server.PublicKey.ToString(), Header(response, "Sender-Public-Key"));
        var answer = Open(sealedRequest, "POST", response);
        Assert.StartsWith("[\"n\",{", answer);
        Assert.EndsWith("\"data\":\"{\\\"k\\\":1}\"}]", answer); // the handler read the plaintext as usrv's data
    }

    [Fact]
    public async Task A_sealed_get_without_a_body_is_signed_and_answered_sealed()
    {
        using var sealedRequest = Seal("GET", "/whoami", null);
        Assert.Empty(sealedRequest.Body);
        var response = await _router.HandleAsync(Send(sealedRequest, "GET", "/whoami", json: false));

        Assert.Equal(200, response.Status);
        Assert.Equal($"\"{_client.PublicKey}\"", Open(sealedRequest, "GET", response));
    }

    [Fact]
    public async Task A_plain_request_with_sender_headers_stays_plain_and_touches_no_replay_record()
    {
        var nonce = Nonce.Format(DateTimeOffset.UtcNow);
        var plain = Request("GET", "/whoami", [], [new("Nonce", nonce), new("Sender-Public-Key", _client.PublicKey.ToString())], null);
        var response = await _router.HandleAsync(plain);

        Assert.Equal(200, response.Status);
        Assert.Null(Header(response, "Usrv-Scheme"));
        Assert.Equal("null", response.BodyText); // not authenticated: no Sender

        // The victim's sealed request with that very nonce is still served.
        using var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, new RequestLine("GET", Authority, "/whoami", null), [], DateTimeOffset.Parse(nonce));
        Assert.Equal(200, (await _router.HandleAsync(Send(sealedRequest, "GET", "/whoami", json: false))).Status);
    }

    [Fact]
    public async Task Problems_after_authentication_are_sealed_too()
    {
        using var sealedRequest = Seal("POST", "/fail", "{}");
        var response = await _router.HandleAsync(Send(sealedRequest, "POST", "/fail"));

        Assert.Equal(409, response.Status);
        Assert.Contains("conflict", Open(sealedRequest, "POST", response));

        using var missing = Seal("POST", "/nowhere", "{}");
        var notFound = await _router.HandleAsync(Send(missing, "POST", "/nowhere"));
        Assert.Equal(404, notFound.Status);
        Assert.Contains("no binding matches", Open(missing, "POST", notFound));
    }

    [RequireSender]
    public static class Private
    {
        [Bind("/mine")]
        public static (int, string?) Mine(UsrvRequest request) => (200, request.Sender?.ToString());
    }

    [Fact]
    public async Task A_type_level_sender_policy_admits_any_sealed_caller_and_refuses_plain_calls_with_401()
    {
        _router.BindType(typeof(Private));
        using var sealedRequest = Seal("GET", "/mine", null);
        var sealedAnswer = await _router.HandleAsync(Send(sealedRequest, "GET", "/mine", json: false));
        Assert.Equal(200, sealedAnswer.Status);
        Assert.Equal($"\"{_client.PublicKey}\"", Open(sealedRequest, "GET", sealedAnswer));

        var plain = await _router.HandleAsync(Request("GET", "/mine", [], [], null));
        Assert.Equal(401, plain.Status);
        Assert.Contains("sealed", plain.BodyText);
    }

    [Fact]
    public async Task Readme_only_known_senders()
    {
        using var serverKey = PrivateKey.Generate();
        using var partner = PrivateKey.FromBytes(Convert.FromHexString("a56360172cb2932ef853c2b9045f9ed8c50219f6eb30fb7c7488112b4a303a52"));
        // as in the README
        var options = new RouterOptions { Identity = serverKey };
        options.Senders["partners"] = [PublicKey.Parse("Akyzs3s7/j9xZquza9orEmgOrSgLaHIv1xMgs9Jj0vAc")];
        var router = new Router(options);
        router.Bind("/partners", [RequireSender("partners")] (UsrvRequest request) => (200, request.Sender!.ToString()), "POST");

        using var admitted = UsrvEnvelope.SealRequest(partner, serverKey.PublicKey, new RequestLine("POST", Authority, "/partners", "application/json"), "{}"u8, DateTimeOffset.UtcNow);
        var answer = await router.HandleAsync(Send(admitted, "POST", "/partners"));
        Assert.Equal(200, answer.Status);
        Assert.Equal("\"Akyzs3s7/j9xZquza9orEmgOrSgLaHIv1xMgs9Jj0vAc\"", Open(admitted, "POST", answer));

        using var other = UsrvEnvelope.SealRequest(_client, serverKey.PublicKey, new RequestLine("POST", Authority, "/partners", "application/json"), "{}"u8, DateTimeOffset.UtcNow);
        var refused = await router.HandleAsync(Send(other, "POST", "/partners"));
        Assert.Equal(403, refused.Status);
        Assert.Contains("partners", Open(other, "POST", refused));
    }

    [Fact]
    public void A_policy_naming_a_set_the_options_do_not_hold_fails_at_bind_time()
    {
        var error = Assert.Throws<BindingException>(() => _router.Bind("/x", [RequireSender("nobody")] () => 200));
        Assert.Contains("nobody", error.Message);
    }

    [Fact]
    public async Task A_call_sealed_for_a_previous_key_is_answered_by_it_until_its_retire_time()
    {
        using var current = PrivateKey.Generate();
        var serving = new RouterOptions { Identity = current };
        serving.PreviousKeys.Add(new PreviousKey(_server, DateTimeOffset.UtcNow.AddHours(1)));
        var router = new Router(serving).BindType(typeof(Api));
        using var old = Seal("POST", "/whoami", "{}"); // sealed for _server, now a previous key
        var answer = await router.HandleAsync(Send(old, "POST", "/whoami"));
        Assert.Equal(200, answer.Status);
        Assert.Equal(_server.PublicKey.ToString(), Header(answer, "Sender-Public-Key"));
        Assert.Equal($"\"{_client.PublicKey}\"", Open(old, "POST", answer));

        var retired = new RouterOptions { Identity = current };
        retired.PreviousKeys.Add(new PreviousKey(_server, DateTimeOffset.UtcNow.AddSeconds(-1)));
        using var late = Seal("POST", "/whoami", "{}");
        var refused = await new Router(retired).BindType(typeof(Api)).HandleAsync(Send(late, "POST", "/whoami"));
        Assert.Equal(400, refused.Status);
        Assert.Contains(current.PublicKey.ToString(), refused.BodyText);
    }

    [Fact]
    public async Task A_replayed_request_is_a_412_and_plain()
    {
        using var sealedRequest = Seal("POST", "/kwargs", "{}");
        Assert.Equal(200, (await _router.HandleAsync(Send(sealedRequest, "POST", "/kwargs"))).Status);
        var again = await _router.HandleAsync(Send(sealedRequest, "POST", "/kwargs"));

        Assert.Equal(412, again.Status);
        Assert.Null(Header(again, "Usrv-Scheme"));
        Assert.Contains("replayed", again.BodyText);
    }

    [Theory]
    [InlineData(-11)]
    [InlineData(11)]
    public async Task A_nonce_outside_the_window_is_a_412(int seconds)
    {
        using var sealedRequest = Seal("POST", "/kwargs", "{}", now: DateTimeOffset.UtcNow.AddSeconds(seconds));
        var response = await _router.HandleAsync(Send(sealedRequest, "POST", "/kwargs"));
        Assert.Equal(412, response.Status);
    }

    [Fact]
    public async Task A_request_for_another_key_is_a_400_naming_this_servers_current_key()
    {
        using var other = PrivateKey.Generate();
        using var sealedRequest = Seal("POST", "/kwargs", "{}", serverKey: other.PublicKey);
        var response = await _router.HandleAsync(Send(sealedRequest, "POST", "/kwargs"));

        Assert.Equal(400, response.Status);
        Assert.Contains(_server.PublicKey.ToString(), response.BodyText);
    }

    [Fact]
    public async Task A_request_moved_to_another_target_is_a_401_and_never_reaches_the_handler()
    {
        var before = Api.Calls;
        using var sealedRequest = Seal("POST", "/kwargs?name=a", "{}");
        var response = await _router.HandleAsync(Send(sealedRequest, "POST", "/kwargs?name=b"));

        Assert.Equal(401, response.Status);
        Assert.Equal(before, Api.Calls);
    }

    [Fact]
    public async Task A_re_signed_request_does_not_open_for_the_attacker()
    {
        using var attacker = PrivateKey.Generate();
        using var victim = Seal("POST", "/kwargs", "{\"secret\":1}");
        // The attacker signs the victim's request with its own key: the digest is public, the HPKE auth key is not.
        var digest = System.Security.Cryptography.SHA256.HashData([
            .. new RequestLine("POST", Authority, "/kwargs", "application/json").Encode(victim.Headers.Nonce!),
            .. Convert.FromBase64String(victim.Headers.EphemeralPublicKey!), .. _server.PublicKey.Compressed,
            .. System.Security.Cryptography.SHA256.HashData(victim.Body)]);
        var forged = victim.Headers with
        {
            SenderPublicKey = attacker.PublicKey.ToString(),
            SenderSignature = Convert.ToBase64String(attacker.Sign(digest)),
        };
        var before = Api.Calls;
        var response = await _router.HandleAsync(Request("POST", "/kwargs", victim.Body, forged.ToPairs(), "application/json"));

        Assert.Equal(400, response.Status);
        Assert.Null(Header(response, "Usrv-Scheme"));
        Assert.DoesNotContain("secret", response.BodyText);
        Assert.Equal(before, Api.Calls);
    }

    [Theory]
    [InlineData("Sender-Signature", "not base64!")]
    [InlineData("Ephemeral-Public-Key", "AAAA")]
    [InlineData("Sender-Public-Key", "AAAA")]
    [InlineData("Recipient-Public-Key", "")]
    [InlineData("Nonce", "yesterday")]
    public async Task Malformed_headers_are_a_400_never_a_500(string name, string value)
    {
        using var sealedRequest = Seal("POST", "/kwargs", "{}");
        var headers = sealedRequest.Headers.ToPairs().Select(h => h.Key == name ? new(name, value) : h);
        var response = await _router.HandleAsync(Request("POST", "/kwargs", sealedRequest.Body, headers, "application/json"));

        Assert.Equal(400, response.Status);
        Assert.Contains(name, response.BodyText);
    }

    [Fact]
    public async Task Usrv_1_and_usrv_04_headers_are_a_415_that_says_what_to_send()
    {
        var usrv1 = await _router.HandleAsync(Request("POST", "/kwargs", [1, 2], [new("Usrv-Cipher", "aes-256-gcm")], "application/json"));
        Assert.Equal(415, usrv1.Status);
        Assert.Contains("usrv/2", usrv1.BodyText);

        var usrv04 = await _router.HandleAsync(Request("POST", "/kwargs", [1, 2],
            [new("Ephemeral-Public-Key", "x"), new("Sender-Signature", "y"), new("Nonce", "z")], "application/json"));
        Assert.Equal(415, usrv04.Status);
        Assert.Contains("usrv 0.4", usrv04.BodyText);

        var other = await _router.HandleAsync(Request("POST", "/kwargs", [], [new("Usrv-Scheme", "usrv/3")], null));
        Assert.Equal(415, other.Status);
    }
}
