using System.IO.Pipelines;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Usrv.Crypto;
using Usrv.Host.AspNetCore;
using Usrv.Route;

namespace Usrv.Host.Bench;

/// <summary>
/// Time and bytes allocated per request through usrv's chain without sockets (issue 16), for the three requests of the
/// benchmark matrix (bench/http/matrix.sh): <c>GET /test?b=12&amp;a=Paris</c>, a 1 KiB JSON body <c>POST</c>ed to a record,
/// and the same POST sealed with usrv/2. Each runs twice: through <see cref="Router.HandleAsync"/> alone (the transport-free
/// pipeline, the answer's bytes in memory), and through the ASP.NET Core adapter (<see cref="UsrvRequestDelegate"/>, what
/// Kestrel calls for <c>usrv --server kestrel</c> and <c>MapUsrv</c>) on an <see cref="HttpContext"/> whose features are
/// reused from request to request, as Kestrel reuses them on a connection, so that the figure is the chain's, not the
/// test harness's. Targets: the plain GET at most 1 KiB, the sealed POST at most 8 KiB beyond its body.
/// </summary>
[MemoryDiagnoser]
public class ChainBenchmarks
{
    /// <summary>The matrix's bindings: usrv's demo <c>/test</c> and a record read from a JSON body.</summary>
    public static class Api
    {
        [Bind("/test")]
        public static (int, object?, object?) Test(object? a, object? b) => (200, a, b);

        [Bind("/order", "POST")]
        public static (int, object?) Order(Order order) => (200, new OrderAnswer(order.Id, order.Count));
    }

    /// <summary>The record a POST carries.</summary>
    public sealed record Order(string Id, int Count, string Note);

    /// <summary>What <c>POST /order</c> answers.</summary>
    public sealed record OrderAnswer(string Id, int Count);

    private const string Authority = "127.0.0.1:5000";

    /// <summary>Sealed requests per iteration: each is used once (the replay guard would refuse it a second time).</summary>
    private const int SealedBatch = 2_000;

    private static readonly byte[] OrderJson =
        Encoding.UTF8.GetBytes($$"""{"id":"A-1001","count":3,"note":"{{new string('x', 980)}}"}""");

    private readonly PrivateKey _server = PrivateKey.Generate();
    private readonly PrivateKey _client = PrivateKey.Generate();
    private Router _router = null!;
    private RequestDelegate _adapter = null!;
    private ReusedContext _get = null!;
    private ReusedContext _post = null!;
    private ReusedContext _sealedPost = null!;
    private SealedRequest[] _sealed = [];
    private RequestHeaders[] _sealedHeaders = [];
    private HeaderDictionary[] _sealedHttpHeaders = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        NewRouter();
        _get = new ReusedContext("GET", "/test", "?b=12&a=Paris", null, []);
        _post = new ReusedContext("POST", "/order", "", "application/json", OrderJson);
        _sealedPost = new ReusedContext("POST", "/order", "", "application/json", []);
    }

    // A fresh replay guard for each batch of sealed requests (its store keeps what it saw for the window).
    private void NewRouter()
    {
        _router = new Router(new RouterOptions { Identity = _server, ReplayGuard = new ReplayGuard() }).BindType(typeof(Api));
        _adapter = UsrvRequestDelegate.Create(_router);
    }

    [IterationSetup(Targets = [nameof(Router_sealed_post), nameof(Adapter_sealed_post)])]
    public void SealBatch()
    {
        foreach (var request in _sealed) request.Dispose();
        NewRouter();
        var now = DateTimeOffset.UtcNow.UtcTicks / 10 * 10;
        _sealed = new SealedRequest[SealedBatch];
        Parallel.For(0, SealedBatch, i => _sealed[i] = UsrvEnvelope.SealRequest(_client, _server.PublicKey,
            new RequestLine("POST", Authority, "/order", "application/json"), OrderJson,
            new DateTimeOffset(now + i * 10L, TimeSpan.Zero))); // distinct microseconds: distinct nonces
        // The headers as each transport hands them over, made here so that the benchmark counts the chain's bytes only.
        _sealedHeaders = [.. _sealed.Select(r => RequestHeaders.From(
            [.. r.Headers.ToPairs(), new("Host", Authority), new("User-Agent", "wrk"), new("Content-Type", "application/json")]))];
        _sealedHttpHeaders = [.. _sealed.Select(r => ReusedContext.Headers(
            [.. r.Headers.ToPairs(), new("Host", Authority), new("User-Agent", "wrk"), new("Content-Type", "application/json")],
            r.Body.Length))];
        _next = 0;
    }

    [Benchmark(Baseline = true)]
    public async ValueTask<int> Router_plain_get() =>
        (await _router.HandleAsync(new UsrvRequest("GET", "/test?b=12&a=Paris", GetHeaders) { ContentLength = 0 })).Status;

    [Benchmark]
    public async ValueTask<int> Router_record_post() =>
        (await _router.HandleAsync(new UsrvRequest("POST", "/order", PostHeaders, new MemoryStream(OrderJson, false))
        {
            ContentLength = OrderJson.Length,
        })).Status;

    [Benchmark]
    [InvocationCount(SealedBatch)]
    public async ValueTask<int> Router_sealed_post()
    {
        var sealedRequest = _sealed[_next];
        var headers = _sealedHeaders[_next++];
        var response = await _router.HandleAsync(new UsrvRequest("POST", "/order", headers, new MemoryStream(sealedRequest.Body, false))
        {
            ContentLength = sealedRequest.Body.Length,
        });
        return Check(response.Status);
    }

    [Benchmark]
    public async ValueTask<int> Adapter_plain_get() => Check(await _get.RunAsync(_adapter));

    [Benchmark]
    public async ValueTask<int> Adapter_record_post() => Check(await _post.RunAsync(_adapter));

    [Benchmark]
    [InvocationCount(SealedBatch)]
    public async ValueTask<int> Adapter_sealed_post()
    {
        _sealedPost.Reset(_sealed[_next].Body, _sealedHttpHeaders[_next++]);
        return Check(await _sealedPost.RunAsync(_adapter));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var request in _sealed) request.Dispose();
        _server.Dispose();
        _client.Dispose();
    }

    // A benchmark of a failing request would measure the failure: stop at once instead.
    private static int Check(int status) =>
        status == 200 ? status : throw new InvalidOperationException($"the benchmark's request was answered {status}");

    private static readonly RequestHeaders GetHeaders = RequestHeaders.From([new("Host", Authority), new("User-Agent", "wrk")]);

    private static readonly RequestHeaders PostHeaders =
        RequestHeaders.From([new("Host", Authority), new("User-Agent", "wrk"), new("Content-Type", "application/json")]);

    /// <summary>
    /// One HTTP/1.1 connection's features, reset for each request as Kestrel resets its own: the request line, headers and
    /// body, an empty response, the response body written to <see cref="Stream.Null"/>.
    /// </summary>
    private sealed class ReusedContext
    {
        private readonly HttpRequestFeature _request = new();
        private readonly HttpResponseFeature _response = new();
        private readonly DefaultHttpContext _context;
        private readonly MemoryStream _body = new();
        private readonly string _method, _path, _query, _rawTarget;
        private readonly KeyValuePair<string, string>[] _fixedHeaders;

        public ReusedContext(string method, string path, string query, string? contentType, byte[] body)
        {
            (_method, _path, _query, _rawTarget) = (method, path, query, path + query);
            _fixedHeaders = contentType is null
                ? [new("Host", Authority), new("User-Agent", "wrk")]
                : [new("Host", Authority), new("User-Agent", "wrk"), new("Content-Type", contentType)];
            var features = new FeatureCollection();
            features.Set<IHttpRequestFeature>(_request);
            features.Set<IHttpResponseFeature>(_response);
            features.Set<IHttpResponseBodyFeature>(new DiscardingBody());
            features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = IPAddress.Loopback, RemotePort = 40000 });
            features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature());
            features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(method != "GET"));
            _context = new DefaultHttpContext(features);
            Reset(body, Headers(_fixedHeaders, body.Length));
        }

        public static HeaderDictionary Headers(IEnumerable<KeyValuePair<string, string>> headers, int contentLength)
        {
            var dictionary = new HeaderDictionary();
            foreach (var (name, value) in headers) dictionary[name] = value;
            if (contentLength > 0) dictionary.ContentLength = contentLength;
            return dictionary;
        }

        public void Reset(byte[] body, HeaderDictionary headers)
        {
            _body.SetLength(0);
            _body.Write(body);
            _request.Headers = headers;
        }

        public async ValueTask<int> RunAsync(RequestDelegate app)
        {
            _request.Method = _method;
            _request.Protocol = "HTTP/1.1";
            _request.Scheme = "http";
            _request.Path = _path;
            _request.QueryString = _query;
            _request.RawTarget = _rawTarget;
            _body.Position = 0;
            _request.Body = _body;
            _response.StatusCode = 200;
            _response.Headers.Clear();
            await app(_context);
            return _response.StatusCode;
        }
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }

    /// <summary>
    /// A response body that forgets what it is given, reused for every request as Kestrel's is (its connection is the body
    /// feature): a pipe writer over one buffer, a stream that discards, and completion that only resets.
    /// </summary>
    private sealed class DiscardingBody : PipeWriter, IHttpResponseBodyFeature
    {
        private readonly byte[] _buffer = new byte[64 * 1024];

        public Stream Stream => Stream.Null;

        public PipeWriter Writer => this;

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task CompleteAsync() => Task.CompletedTask;

        public override void Advance(int bytes)
        {
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer;

        public override Span<byte> GetSpan(int sizeHint = 0) => _buffer;

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => new(new FlushResult());
    }
}
