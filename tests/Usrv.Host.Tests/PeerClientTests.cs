using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Usrv.Crypto;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Host.Tests;

/// <summary>README's server side of "Files and forms", bound as README shows it.</summary>
public static class ReadmeUploadApi
{
    [Bind("/upload", "POST")]
    public static (int, string?, long) Upload(FormData form) => (200, form["title"], form.Get("photo")?.Length ?? 0);
}

/// <summary>
/// Issue 4 over real sockets: the client (<see cref="Peer"/>, usrv's <c>req</c>) against a real host — every example of
/// usrv's <c>req</c> documentation as README's client chapter redoes it, run as written, plus the steering arguments,
/// errors and sealed calls. Written once, run on every host kind (see the subclasses).
/// </summary>
public abstract class PeerClientTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync) : IDisposable
    where TFixture : RouterHostFixture
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _folder = Directory.CreateTempSubdirectory("usrv-client-tests-").FullName;

    public void Dispose()
    {
        _release.TrySetResult();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The host of every test: the demo bindings (<c>/test</c>, <c>/kwargs</c>, <c>/puk</c>...), README's <c>/upload</c>, and a few more.</summary>
    private Task Serve(Func<TFixture, Task> test, Action<RouterHostFixture.Settings>? configure = null) => runAsync(s =>
    {
        s.Router.BindType(typeof(ReadmeUploadApi));
        s.Router.Bind("/any", (string method, string? x, object? data) => (200, method, x, data), "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
        s.Router.Bind("/data", (object? data) => (200, data), "POST");
        s.Router.Bind("/fail", () => (409, "conflict: the tea is cold"), "GET", "POST");
        s.Router.Bind("/whoami", (UsrvRequest request) => (200, request.Sender?.ToString()), "POST");
        s.Router.Bind("/remote", (UsrvRequest request) => (200, request.RemoteAddress));
        s.Router.Bind("/plain", () => (200, 5, 2.5, "5", true, (object?)null, new[] { 1 }, new Dictionary<string, int> { ["k"] = 1 }));
        s.Router.Bind("/slow", async () =>
        {
            await _release.Task.WaitAsync(Bound); // released by the test (or its end); bounded either way
            return (200, "late");
        });
        s.Router.Bind("/reply/<kind>", async (string kind) => kind switch
        {
            "text" => Reply.Text(200, "plain words"),
            "bytes" => Reply.Bytes(200, new byte[] { 0, 1, 2, 255 }),
            "form" => Reply.Bytes(200, "a=1&b=two+words"u8.ToArray(), "application/x-www-form-urlencoded"),
            _ => await MultipartReply(),
        });
        configure?.Invoke(s);
    }, test);

    private static async Task<Reply> MultipartReply()
    {
        using var form = new FormData().Add("title", "holiday").AddFile("photo", new byte[] { 1, 2, 3 }, "beach.jpg", "image/jpeg");
        var (body, contentType) = await form.EncodeAsync();
        return Reply.Bytes(200, body, contentType);
    }

    private static string Url(TFixture server) => server.BaseAddress.ToString();

    // ---------------------------------------------------------------- README, "The client: calling usrv from C#"

    [Fact]
    public async Task Readme_connect_then_build_calls_from_member_access()
    {
        await Serve(async server =>
        {
            var url = Url(server);

            using var peer = await Peer.ConnectAsync(url);   // HEAD /, peer.Status is its status
            dynamic GET = peer.Get, POST = peer.Post;

            var pair = await GET.test(a: 12, b: "test");          // GET /test?a=12&b=test        -> ["12","test"]
            var kw = await POST.kwargs(value1: 1, value2: 2);     // POST /kwargs, JSON body {"value1":1,"value2":2}
            var five = await GET(5, "test");                      // positional arguments are path segments: GET /5/test

            Assert.Equal(200, peer.Status);
            Assert.Equal(new object?[] { "12", "test" }, (List<object?>)pair);
            // usrv's kwargs binding: [name, a, b, {method, headers, data}]; the JSON body is its data.
            List<object?> kwargs = kw;
            Assert.Equal(4, kwargs.Count);
            var extra = (Dictionary<string, object?>)kwargs[3]!;
            Assert.Equal("POST", extra["method"]);
            Assert.Equal("""{"value1":1,"value2":2}""", extra["data"]);
            Assert.StartsWith("application/json", ((Dictionary<string, object?>)extra["headers"]!)["content-type"] as string);
            Assert.Equal("""["test",5]""", Json(five));
        });
    }

    [Fact]
    public async Task Readme_typed_calls()
    {
        await Serve(async server =>
        {
            using var peer = await Peer.ConnectAsync(Url(server));

            string[]? typed = await peer.GetAsync<string[]>("/test", new { a = 12, b = "x" });     // ["12","x"]
            var answer = await peer.PostAsync<object[]>("/kwargs?name=tea", new { value1 = 1 }); // ["tea",null,2,{..."data":"{\"value1\":1}"}]

            Assert.Equal(new[] { "12", "x" }, typed);
            Assert.NotNull(answer);
            Assert.Equal(4, answer.Length);
            Assert.Equal("tea", answer[0]?.ToString());
            Assert.Null(answer[1]);
            Assert.Equal("2", answer[2]?.ToString());
            Assert.Contains("\"data\":\"{\\\"value1\\\":1}\"", answer[3]?.ToString());
        });
    }

    [Fact]
    public async Task Readme_encrypted_calls_are_sealed_both_ways_on_the_wire()
    {
        var wire = new WireRecorder();
        await Serve(async server =>
        {
            using var peer = await Peer.ConnectAsync(Url(server), new PeerOptions { Handler = wire });
            dynamic GET = peer.Get, POST = peer.Post;

            var serverKey = PublicKey.Parse((string)(await GET.puk())!);           // or a key you were given
            var echo = await POST.kwargs(value1: 1, value2: 2, _puk: serverKey);  // sealed both ways
            var quiet = await GET.test(a: 1, _puk: serverKey);                     // a GET is signed too; no body is sent

            Assert.Equal(server.Router.PublicKey, serverKey);
            // The handler got the plaintext...
            var extra = (Dictionary<string, object?>)((List<object?>)echo)[3]!;
            Assert.Equal("""{"value1":1,"value2":2}""", extra["data"]);
            Assert.Equal(new object?[] { "1", null }, (List<object?>)quiet);

            // ...while the wire carried ciphertext: usrv/2 headers both ways, the plaintext's Content-Type, no JSON in the body.
            var post = wire.Single("POST /kwargs");
            Assert.Equal("usrv/2", post.RequestHeaders["Usrv-Scheme"]);
            Assert.Equal(peer.PublicKey.ToString(), post.RequestHeaders["Sender-Public-Key"]);
            Assert.Equal(serverKey.ToString(), post.RequestHeaders["Recipient-Public-Key"]);
            Assert.StartsWith("application/json", post.RequestContentType);
            Assert.DoesNotContain("value1", Encoding.Latin1.GetString(post.RequestBody!));
            Assert.Equal(serverKey.ToString(), post.ResponseHeaders["Sender-Public-Key"]);
            Assert.DoesNotContain("POST", Encoding.Latin1.GetString(post.ResponseBody));

            var get = wire.Single("GET /test?a=1");
            Assert.Equal("usrv/2", get.RequestHeaders["Usrv-Scheme"]);
            Assert.True(get.RequestHeaders.ContainsKey("Sender-Signature"));
            Assert.True(get.RequestBody is null || get.RequestBody.Length == 0);
            Assert.Equal(peer.PublicKey.ToString(), get.RequestHeaders["Sender-Public-Key"]);
            Assert.Equal("usrv/2", get.ResponseHeaders["Usrv-Scheme"]);
            Assert.NotEqual("""["1",null]""", Encoding.UTF8.GetString(get.ResponseBody));
        });
    }

    [Fact]
    public async Task A_sealed_call_tells_the_handler_who_sent_it_and_what_key_sealed_the_answer()
    {
        await Serve(async server =>
        {
            using var identity = PrivateKey.FromSecret("a lasting client identity");
            using var peer = await Peer.ConnectAsync(Url(server), new PeerOptions { Identity = identity });

            var response = await peer.SendAsync(new PeerCall(HttpMethod.Post, "/whoami") { ServerKey = server.Router.PublicKey, Content = JsonContent("{}") });

            Assert.Equal(200, response.Status);
            Assert.Equal(identity.PublicKey.ToString(), response.Value);
            Assert.Equal(server.Router.PublicKey, response.SealedBy);
        });
    }

    [Fact]
    public async Task PeerOptions_ServerKey_seals_every_call_of_a_peer_typed_ones_too()
    {
        var wire = new WireRecorder();
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server), new PeerOptions { ServerKey = server.Router.PublicKey, Handler = wire });

            var answer = await peer.PostAsync<object[]>("/kwargs?name=tea", new { value1 = 1 });

            Assert.Equal("tea", answer![0]?.ToString());
            var exchange = wire.Single("POST /kwargs?name=tea");
            Assert.Equal("usrv/2", exchange.RequestHeaders["Usrv-Scheme"]);
            Assert.Equal("usrv/2", exchange.ResponseHeaders["Usrv-Scheme"]);
        });
    }

    [Fact]
    public async Task A_wrong_server_key_is_a_plain_400_marked_unauthenticated_naming_the_current_key()
    {
        await Serve(async server =>
        {
            using var peer = await Peer.ConnectAsync(Url(server));
            dynamic GET = peer.Get, POST = peer.Post;
            using var stranger = PrivateKey.Generate();
            var serverKey = server.Router.PublicKey.ToString();

            // Sealed for the stranger: the server refuses at step c, before it knows who calls, so the answer is plain.
            var sealedBody = await Assert.ThrowsAsync<UsrvCallException>(async () => await POST.kwargs(value1: 1, _puk: stranger.PublicKey));
            Assert.Equal(400, sealedBody.Status);
            Assert.False(sealedBody.IsAuthenticated);
            Assert.Contains(serverKey, sealedBody.Detail);

            var get = await Assert.ThrowsAsync<UsrvCallException>(async () => await GET.test(a: 1, _puk: stranger.PublicKey));
            Assert.Equal(400, get.Status);
            Assert.False(get.IsAuthenticated);
        });
    }

    [Fact]
    public async Task A_sealed_answer_that_does_not_open_is_an_UntrustedResponseException()
    {
        var wire = new WireRecorder
        {
            Mutate = (response, body) =>
            {
                var flipped = body.ToArray();
                flipped[^1] ^= 0x01; // one bit of the tag
                return Replace(response, flipped);
            },
        };
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server), new PeerOptions { Handler = wire });
            dynamic GET = peer.Get;

            var error = await Assert.ThrowsAsync<UntrustedResponseException>(async () => await GET.test(a: 1, _puk: server.Router.PublicKey));

            Assert.Contains("cannot be trusted", error.Message);
            Assert.Contains(server.Router.PublicKey.ToString(), error.Message);
        });
    }

    [Fact]
    public async Task A_success_answered_in_clear_text_to_a_sealed_call_is_an_UntrustedResponseException()
    {
        var wire = new WireRecorder
        {
            Mutate = (response, _) =>
            {
                foreach (var name in new[] { EnvelopeHeaders.UsrvScheme, EnvelopeHeaders.ResponseNonce, EnvelopeHeaders.SenderPublicKey, EnvelopeHeaders.SenderSignature })
                    response.Headers.Remove(name);
                return Replace(response, """["forged"]"""u8.ToArray());
            },
        };
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server), new PeerOptions { Handler = wire });
            dynamic GET = peer.Get;

            var error = await Assert.ThrowsAsync<UntrustedResponseException>(async () => await GET.test(a: 1, _puk: server.Router.PublicKey));

            Assert.Contains("clear text", error.Message);
            Assert.Contains(server.Router.PublicKey.ToString(), error.Message);
        });
    }

    [Fact]
    public async Task A_sealed_call_that_fails_gets_its_problem_opened()
    {
        await Serve(async server =>
        {
            using var peer = await Peer.ConnectAsync(Url(server));
            dynamic POST = peer.Post;

            var error = await Assert.ThrowsAsync<UsrvCallException>(async () => await POST.fail(_puk: server.Router.PublicKey));

            Assert.Equal(409, error.Status);
            Assert.True(error.IsAuthenticated); // sealed and signed by the server for this call
            Assert.Equal("conflict: the tea is cold", error.Detail);
        });
    }

    [Fact]
    public async Task A_sealed_multipart_upload_reaches_the_handler_as_a_form()
    {
        await Serve(async server =>
        {
            using var peer = await Peer.ConnectAsync(Url(server));
            dynamic POST = peer.Post;
            using var form = new FormData().Add("title", "sealed holiday").AddFile("photo", new byte[1000], "beach.jpg", "image/jpeg");

            var saved = await POST.upload(form: form, _puk: server.Router.PublicKey);

            Assert.Equal("""["sealed holiday",1000]""", Json(saved));
        });
    }

    // ---------------------------------------------------------------- the builder and its steering arguments

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Named_values_are_the_query_of_GET_and_DELETE(string method)
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic builder = method == "GET" ? peer.Get : peer.Delete;

            List<object?> answer = await builder.any(x: "é & ?");

            Assert.Equal(new object?[] { method, "é & ?", null }, answer);
        });
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task Named_values_are_the_JSON_body_of_POST_PUT_PATCH_and_OPTIONS(string method)
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic builder = method switch { "POST" => peer.Post, "PUT" => peer.Put, "PATCH" => peer.Patch, _ => peer.Options };

            List<object?> answer = await builder.any(x: "1");

            Assert.Equal(new object?[] { method, null, """{"x":"1"}""" }, answer);
        });
    }

    [Fact]
    public async Task Head_calls_answer_no_body()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic HEAD = peer.Head;

            var answer = await HEAD.test(a: 1);

            Assert.Null(answer);
        });
    }

    [Fact]
    public async Task Headers_steer_a_call_from_a_dictionary_an_anonymous_object_or_the_peer_options()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server), new PeerOptions { Headers = { ["X-Peer"] = "every call" } });
            dynamic GET = peer.Get;

            List<object?> fromDictionary = await GET.kwargs(_headers: new Dictionary<string, string> { ["X-Api-Key"] = "k-123" });
            List<object?> fromObject = await GET.kwargs(_headers: new { Authorization = "Bearer t" });

            var first = Headers(fromDictionary);
            Assert.Equal("k-123", first["x-api-key"]);
            Assert.Equal("every call", first["x-peer"]);
            Assert.Equal("Bearer t", Headers(fromObject)["authorization"]);
        });

        static Dictionary<string, object?> Headers(List<object?> kwargsAnswer) =>
            (Dictionary<string, object?>)((Dictionary<string, object?>)kwargsAnswer[3]!)["headers"]!;
    }

    [Fact]
    public async Task The_form_encoder_sends_an_html_form()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic POST = peer.Post;

            List<object?> answer = await POST.kwargs(value1: 1, value2: "two words", _encoder: "form");

            var extra = (Dictionary<string, object?>)answer[3]!;
            Assert.Equal("value1=1&value2=two+words", extra["data"]);
            Assert.StartsWith("application/x-www-form-urlencoded", ((Dictionary<string, object?>)extra["headers"]!)["content-type"] as string);
        });
    }

    [Fact]
    public async Task The_multipart_encoder_sends_a_form_that_reaches_data_as_FormData()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic POST = peer.Post;

            var answer = await POST.data(title: "x", n: 3, flag: true, _encoder: "multipart");

            // FormData is written back as JSON: each field's text by name.
            Assert.Equal(new Dictionary<string, object?> { ["title"] = "x", ["n"] = "3", ["flag"] = "true" }, (Dictionary<string, object?>)answer);
        });
    }

    [Fact]
    public async Task A_call_over_its_timeout_is_a_TimeoutException()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic GET = peer.Get;
            var clock = Stopwatch.StartNew();

            var inSeconds = await Assert.ThrowsAsync<TimeoutException>(async () => await GET.slow(_timeout: 0.3));
            var asTimeSpan = await Assert.ThrowsAsync<TimeoutException>(async () => await GET.slow(_timeout: TimeSpan.FromMilliseconds(300)));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"two 0.3 s timeouts took {clock.Elapsed}");
            Assert.Contains("0.3 s", inSeconds.Message);
            Assert.Contains("/slow", asTimeSpan.Message);
            Assert.Equal(TimeSpan.FromSeconds(5), new PeerOptions().Timeout); // usrv's default
            _release.TrySetResult();
        });
    }

    [Fact]
    public async Task A_cancelled_call_is_an_OperationCanceledException()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic GET = peer.Get;
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await GET.slow(_cancel: cancel.Token));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"cancelled after {clock.Elapsed}");
            _release.TrySetResult();
        });
    }

    [Fact]
    public void Unknown_or_ill_typed_steering_arguments_are_refused_before_any_io()
    {
        using var peer = new Peer("http://127.0.0.1:9"); // nothing is sent: the errors come first
        dynamic GET = peer.Get, POST = peer.Post;

        Assert.Throws<ArgumentException>(() => (object)GET.test(_nope: 1));
        Assert.Throws<ArgumentException>(() => (object)POST.test(a: 1, _encoder: "yaml"));
        Assert.Throws<ArgumentException>(() => (object)GET.test(_peer: "not a peer"));
    }

    // ---------------------------------------------------------------- answers and errors

    [Theory]
    [InlineData("text")]
    [InlineData("bytes")]
    [InlineData("form")]
    [InlineData("multipart")]
    public async Task Answers_are_decoded_by_content_type(string kind)
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic GET = peer.Get;

            var answer = await GET.reply(kind);

            switch (kind)
            {
                case "text":
                    Assert.Equal("plain words", (string)answer);
                    break;
                case "bytes":
                    Assert.Equal(new byte[] { 0, 1, 2, 255 }, (byte[])answer);
                    break;
                case "form":
                    Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "two words" }, (Dictionary<string, string>)answer);
                    break;
                default:
                    using (FormData form = answer)
                    {
                        Assert.Equal("holiday", form["title"]);
                        Assert.Equal("beach.jpg", form.Get("photo")!.FileName);
                        Assert.Equal(new byte[] { 1, 2, 3 }, form.Get("photo")!.ReadAllBytes());
                    }
                    break;
            }
        });
    }

    [Fact]
    public async Task Json_answers_decode_to_plain_values_integers_as_long_other_numbers_as_double()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic GET = peer.Get;

            // [5, 2.5, "5", true, null, [1], {"k": 1}] as README lists the plain types
            List<object?> answer = await GET.plain();

            Assert.IsType<long>(answer[0]);
            Assert.Equal(5L, answer[0]);
            Assert.IsType<double>(answer[1]);
            Assert.Equal(2.5, answer[1]);
            Assert.Equal("5", answer[2]);
            Assert.Equal(true, answer[3]);
            Assert.Null(answer[4]);
            Assert.IsType<long>(Assert.Single(Assert.IsType<List<object?>>(answer[5])));
            Assert.IsType<long>(Assert.IsType<Dictionary<string, object?>>(answer[6])["k"]);
        });
    }

    [Fact]
    public async Task A_non_2xx_answer_is_a_UsrvCallException_with_the_status_and_the_problem()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(Url(server));
            dynamic GET = peer.Get;

            var conflict = await Assert.ThrowsAsync<UsrvCallException>(async () => await GET.fail());
            var missing = await Assert.ThrowsAsync<UsrvCallException>(async () => await GET.nowhere.to.be.found());
            var invalid = await Assert.ThrowsAsync<UsrvCallException>(() => peer.GetAsync<object[]>("/vargs", new { b = "many" }));

            Assert.Equal(409, conflict.Status);
            Assert.Equal("Conflict", conflict.Title);
            Assert.Equal("conflict: the tea is cold", conflict.Detail);
            Assert.Equal(404, missing.Status);
            Assert.Equal("no binding matches GET /nowhere/to/be/found", missing.Detail);
            Assert.Equal(400, invalid.Status);
            Assert.Equal("parameter 'b': 'many' is not a valid int", invalid.Detail);
            Assert.Contains("/vargs", invalid.Message);
        });
    }

    [Fact]
    public async Task Connecting_to_nothing_is_a_clear_exception()
    {
        var nobody = $"http://127.0.0.1:{RouterHostFixture.FreePort(System.Net.IPAddress.Loopback)}";

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => Peer.ConnectAsync(nobody));
        var notAUrl = await Assert.ThrowsAsync<ArgumentException>(() => Peer.ConnectAsync("127.0.0.1:5000"));

        Assert.Contains(nobody, refused.Message);
        Assert.Contains("no peer to reach", notAUrl.Message);
    }

    [Fact]
    public async Task Calls_of_one_peer_share_a_pooled_connection()
    {
        await Serve(async server =>
        {
            using var peer = await Peer.ConnectAsync(Url(server));
            dynamic GET = peer.Get;

            string first = await GET.remote();
            string second = await GET.remote();
            string third = await GET.remote();

            Assert.Equal(first, second); // same client port: the same kept-alive connection
            Assert.Equal(second, third);
        });
    }

    // ---------------------------------------------------------------- README, "Files and forms"

    [Fact]
    public async Task Readme_files_and_forms()
    {
        var photo = Path.Combine(_folder, "beach.jpg");
        await File.WriteAllBytesAsync(photo, Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray()); // over 64 KiB: spilled to a temporary file
        await Serve(async server =>
        {
            using var peer = await Peer.ConnectAsync(Url(server));
            dynamic POST = peer.Post;

            using var form = new FormData()
                .Add("title", "holiday")
                .AddJson("meta", new { tags = new[] { "sea" } })
                .AddFile("photo", photo, "image/jpeg");
            var saved = await POST.upload(form: form);                           // multipart/form-data
            var same = await POST.upload(title: "x", photo: new FileInfo(photo));   // FileInfo, Stream, byte[] values go as files

            Assert.Equal("""["holiday",70000]""", Json(saved));
            Assert.Equal("""["x",70000]""", Json(same));
        });
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>A decoded answer written back as JSON, to compare with what README's comments show.</summary>
    private static string Json(object? value) => JsonSerializer.Serialize(value, UsrvJson.Options);

    private static ByteArrayContent JsonContent(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static HttpResponseMessage Replace(HttpResponseMessage response, byte[] body)
    {
        var replaced = new ByteArrayContent(body);
        foreach (var (name, values) in response.Content.Headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) replaced.Headers.TryAddWithoutValidation(name, values);
        }
        response.Content = replaced;
        return response;
    }

    /// <summary>
    /// A handler under the peer's <see cref="HttpClient"/> that records what went over the wire (envelope headers,
    /// sealed bodies) and can alter an answer before the peer reads it.
    /// </summary>
    public sealed class WireRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public sealed record Exchange(
            string Line, Dictionary<string, string> RequestHeaders, string? RequestContentType, byte[]? RequestBody,
            int Status, Dictionary<string, string> ResponseHeaders, byte[] ResponseBody);

        private readonly List<Exchange> _exchanges = [];

        public Func<HttpResponseMessage, byte[], HttpResponseMessage>? Mutate { get; init; }

        public Exchange Single(string line)
        {
            lock (_exchanges) return Assert.Single(_exchanges, e => e.Line == line);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Only in-memory bodies are read here (sealed ones are): a stream must be read once, by the send.
            var requestBody = request.Content is ByteArrayContent ? await request.Content.ReadAsByteArrayAsync(cancellationToken) : null;
            var response = await base.SendAsync(request, cancellationToken);
            var responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            lock (_exchanges)
            {
                _exchanges.Add(new Exchange(
                    $"{request.Method} {request.RequestUri!.PathAndQuery}", Flatten(request.Headers), request.Content?.Headers.ContentType?.ToString(), requestBody,
                    (int)response.StatusCode, Flatten(response.Headers), responseBody));
            }
            return Mutate is null || request.Method == HttpMethod.Head ? response : Mutate(response, responseBody);
        }

        private static Dictionary<string, string> Flatten(HttpHeaders headers) =>
            headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>The client on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostPeerClientTests() : PeerClientTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>The client on Kestrel through the ASP.NET Core adapter.</summary>
public sealed class KestrelHostPeerClientTests() : PeerClientTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);

/// <summary>
/// usrv's module-level client, <see cref="Req"/>: one default peer for the whole process, so these tests share a
/// collection (never two at once, on either host).
/// </summary>
public abstract class ReqModuleTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    [Fact]
    public async Task Readme_connect_the_default_peer_then_call_through_Req()
    {
        await runAsync(null, async server =>
        {
            try
            {
                Assert.Equal(200, await Req.ConnectAsync(server.BaseAddress.ToString()));

                var answer = await Req.Get.test(a: 1);      // GET /test?a=1

                Assert.Equal(new object?[] { "1", null }, (List<object?>)answer);
                Assert.NotNull(Req.Default);
            }
            finally
            {
                Req.Disconnect();
            }
        });
    }

    [Fact]
    public void A_call_with_no_default_peer_throws_before_any_io()
    {
        Req.Disconnect();

        // Thrown by the call itself, before a task (or a connection) exists: there is no address to reach.
        var error = Assert.Throws<InvalidOperationException>(() => (object)Req.Get.test(a: 1));

        Assert.Contains("no peer to reach for GET /test", error.Message);
        Assert.Contains("Req.ConnectAsync", error.Message);
    }

    [Fact]
    public async Task Peer_sends_one_call_elsewhere_than_the_default_peer()
    {
        await runAsync(null, async server =>
        {
            Req.Disconnect();
            using var peer = new Peer(server.BaseAddress.ToString());

            var answer = await Req.Get.test(a: "there", _peer: peer);

            Assert.Equal(new object?[] { "there", null }, (List<object?>)answer);
            Assert.Null(Req.Default);
        });
    }
}

/// <summary><see cref="Req"/> on the built-in <see cref="ListenerHost"/>.</summary>
[Collection(nameof(Req))]
public sealed class ListenerHostReqModuleTests() : ReqModuleTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary><see cref="Req"/> on Kestrel.</summary>
[Collection(nameof(Req))]
public sealed class KestrelHostReqModuleTests() : ReqModuleTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
