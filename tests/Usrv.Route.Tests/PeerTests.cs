using System.Net;
using System.Text;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Route.Tests;

/// <summary>The client's request building, against a handler that records what would go on the wire.</summary>
public class PeerTests
{
    private sealed class Recorder(HttpStatusCode status = HttpStatusCode.OK, string body = "null", string contentType = "application/json") : HttpMessageHandler
    {
        public List<(HttpMethod Method, Uri Uri, string? ContentType, byte[] Body, HttpRequestMessage Message)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var bytes = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add((request.Method, request.RequestUri!, request.Content?.Headers.ContentType?.ToString(), bytes, request));
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        }
    }

    [Fact]
    public async Task Member_access_builds_the_path_and_named_arguments_the_query()
    {
        var recorder = new Recorder();
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = recorder });
        dynamic GET = peer.Get;

        await GET.api.endpoint(a: 12, b: "te st", flag: true, id: new[] { 1, 2 });

        Assert.Equal("http://127.0.0.1:5000/api/endpoint?a=12&b=te%20st&flag=true&id=1&id=2", recorder.Requests[0].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Positional_arguments_append_path_segments()
    {
        var recorder = new Recorder();
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = recorder });
        dynamic GET = peer.Get;

        await GET(5, "a/b");
        await GET.user("bob", x: 1);

        Assert.Equal("/5/a%2Fb", recorder.Requests[0].Uri.AbsolutePath);
        Assert.Equal("/user/bob?x=1", recorder.Requests[1].Uri.PathAndQuery);
    }

    [Fact]
    public async Task A_path_in_the_base_address_prefixes_every_call()
    {
        var recorder = new Recorder();
        using var peer = new Peer("http://127.0.0.1:5000/v1/", new PeerOptions { Handler = recorder });
        dynamic GET = peer.Get;
        await GET.items(page: 2);
        Assert.Equal("/v1/items?page=2", recorder.Requests[0].Uri.PathAndQuery);
    }

    [Theory]
    [InlineData("json", "application/json; charset=utf-8", "{\"value1\":1,\"value2\":\"two\"}")]
    [InlineData("form", "application/x-www-form-urlencoded", "value1=1&value2=two")]
    public async Task Named_arguments_of_body_methods_are_encoded_by_the_encoder(string encoder, string contentType, string body)
    {
        var recorder = new Recorder();
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = recorder });
        dynamic POST = peer.Post;

        await POST.echo(value1: 1, value2: "two", _encoder: encoder);

        Assert.Equal(contentType, recorder.Requests[0].ContentType);
        Assert.Equal(body, Encoding.UTF8.GetString(recorder.Requests[0].Body));
    }

    [Fact]
    public async Task Multipart_sends_files_and_fields_and_leaves_the_callers_stream_open()
    {
        var recorder = new Recorder();
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = recorder });
        dynamic POST = peer.Post;
        var stream = new MemoryStream([1, 2, 3]);

        await POST.upload(title: "t", photo: stream, _encoder: "multipart");

        Assert.StartsWith("multipart/form-data", recorder.Requests[0].ContentType);
        using var form = await FormData.ReadAsync(new MemoryStream(recorder.Requests[0].Body), recorder.Requests[0].ContentType, new MultipartLimits());
        Assert.Equal("t", form["title"]);
        Assert.Equal([1, 2, 3], form.Get("photo")!.ReadAllBytes());
        Assert.True(stream.CanRead, "the caller's stream stays open");
    }

    [Fact]
    public async Task Headers_steer_a_call_and_default_headers_go_with_every_call()
    {
        var recorder = new Recorder();
        var options = new PeerOptions { Handler = recorder };
        options.Headers["X-Api-Key"] = "k";
        using var peer = new Peer("http://127.0.0.1:5000", options);
        dynamic GET = peer.Get;

        await GET.test(_headers: new { X_Trace = "1" });

        Assert.Equal("k", recorder.Requests[0].Message.Headers.GetValues("X-Api-Key").Single());
        Assert.Equal("1", recorder.Requests[0].Message.Headers.GetValues("X_Trace").Single());
    }

    [Fact]
    public async Task A_non_2xx_answer_throws_with_the_problem_details()
    {
        var recorder = new Recorder(HttpStatusCode.NotFound, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no binding matches GET /nope\"}", "application/problem+json");
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = recorder });
        dynamic GET = peer.Get;

        var error = await Assert.ThrowsAsync<UsrvCallException>(async () => await GET.nope());

        Assert.Equal(404, error.Status);
        Assert.Equal("Not Found", error.Title);
        Assert.Equal("no binding matches GET /nope", error.Detail);
    }

    [Fact]
    public async Task Answers_are_decoded_by_content_type()
    {
        async Task<object?> Decode(string body, string contentType)
        {
            using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = new Recorder(HttpStatusCode.OK, body, contentType) });
            return await peer.InvokeAsync(new PeerCall(HttpMethod.Get, "/"));
        }

        var json = Assert.IsType<List<object?>>(await Decode("[1,2.5,\"x\",{\"k\":null}]", "application/json"));
        Assert.Equal(1L, json[0]);
        Assert.Equal(2.5, json[1]);
        Assert.Equal("x", json[2]);
        Assert.Equal(new Dictionary<string, object?> { ["k"] = null }, json[3]);
        Assert.Equal("plain", await Decode("plain", "text/plain"));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "x y" }, await Decode("a=1&b=x+y", "application/x-www-form-urlencoded"));
        Assert.Equal("bin"u8.ToArray(), await Decode("bin", "application/octet-stream"));
    }

    [Fact]
    public async Task Unknown_steering_arguments_and_unreachable_peers_fail_before_any_io()
    {
        var recorder = new Recorder();
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = recorder });
        dynamic GET = peer.Get;
        await Assert.ThrowsAsync<ArgumentException>(async () => await GET.test(_nope: 1));
        Assert.Throws<ArgumentException>(() => new Peer("not a url"));
        Req.Disconnect();
        dynamic NOPEER = Req.Get;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await NOPEER.test());
        Assert.Empty(recorder.Requests);
    }
    // A handler of your own may follow redirects; a sealed call's answer from another URL is refused for either scheme.
    private sealed class Redirecting : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(request.RequestUri!, "/elsewhere");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent("1") });
        }
    }

    [Theory]
    [InlineData(SealScheme.Usrv2)]
    [InlineData(SealScheme.Usrv04)]
    public async Task A_sealed_call_that_was_redirected_is_refused(SealScheme scheme)
    {
        using var server = Usrv.Crypto.PrivateKey.Generate();
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions
        {
            Handler = new Redirecting(), ServerKey = server.PublicKey, Scheme = scheme,
        });

        var error = await Assert.ThrowsAsync<UntrustedResponseException>(() => peer.GetAsync<int>("/value"));

        Assert.Contains("redirected to http://127.0.0.1:5000/elsewhere", error.Message);
    }
}
