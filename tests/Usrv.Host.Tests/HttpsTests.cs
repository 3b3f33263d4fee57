using System.Net;
using System.Net.Sockets;

namespace Usrv.Host.Tests;

/// <summary>
/// The Kestrel host with a certificate (<c>usrv --server kestrel --cert PATH</c>): HTTPS with HTTP/1.1 and HTTP/2
/// (negotiated by ALPN), the same answers as plain HTTP, and bad input at the TLS layer (garbage instead of a
/// handshake, plain HTTP on the HTTPS port) closes that one connection and nothing else.
/// </summary>
public sealed class HttpsTests(KestrelHttpsHostFixture server) : IClassFixture<KestrelHttpsHostFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Http2_over_TLS_answers_like_plain_HTTP()
    {
        using var client = server.CreateClient(HttpVersion.Version20);

        using var response = await client.GetAsync("/test?b=12&a=Paris");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http11_over_TLS_is_served_too()
    {
        using var client = server.CreateClient(HttpVersion.Version11);

        using var response = await client.GetAsync("/5/test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("""["test",5]""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/test?b=12&a=Paris")]
    [InlineData("GET", "/nope")]
    [InlineData("DELETE", "/test")]
    [InlineData("GET", "/vargs?a=x&b=notanint")]
    [InlineData("GET", "/error_406")]
    [InlineData("GET", "/error_500")]
    [InlineData("HEAD", "/test?b=12&a=Paris")]
    public async Task Http2_and_Http11_get_the_same_status_headers_and_body(string method, string target)
    {
        using var h2 = server.CreateClient(HttpVersion.Version20);
        using var h1 = server.CreateClient(HttpVersion.Version11);

        using var overH2 = await h2.SendAsync(Request(method, target, HttpVersion.Version20));
        using var overH1 = await h1.SendAsync(Request(method, target, HttpVersion.Version11));

        Assert.Equal(HttpVersion.Version20, overH2.Version);
        Assert.Equal(overH1.StatusCode, overH2.StatusCode);
        Assert.Equal(overH1.Content.Headers.ContentType, overH2.Content.Headers.ContentType);
        Assert.Equal(overH1.Content.Headers.ContentLength, overH2.Content.Headers.ContentLength);
        Assert.Equal(overH1.Content.Headers.Allow, overH2.Content.Headers.Allow);
        Assert.Equal(await overH1.Content.ReadAsByteArrayAsync(), await overH2.Content.ReadAsByteArrayAsync());
    }

    // A message made by hand has HttpClient.DefaultRequestVersion only through the helpers (GetAsync...): set it here.
    private static HttpRequestMessage Request(string method, string target, Version version) =>
        new(new HttpMethod(method), target) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

    [Fact]
    public async Task Garbage_instead_of_a_TLS_handshake_closes_that_connection_and_nothing_else()
    {
        await using var counted = new CountingClient(server);
        await counted.AssertServesAsync(); // one HTTP/2 connection, open

        // Random bytes; the first is printable ASCII, neither a TLS record type nor an SSLv2 header, so that the server
        // knows at once that this is no handshake (a first byte 0x16 would make it wait for the rest, up to Kestrel's
        // handshake timeout).
        var garbage = new byte[1024];
        new Random(5).NextBytes(garbage);
        garbage[0] = (byte)(0x20 + garbage[0] % 0x5F);
        await using (var connection = await RawHttp.ConnectAsync(server.BaseAddress))
        {
            await connection.SendAsync(garbage);
            var raw = await connection.ReadUntilClosedAsync(Bound);

            Assert.True(raw.Closed, $"the server held a connection that sent garbage for more than {Bound.TotalSeconds} s");
            Assert.Null(raw.Status); // no HTTP answer in clear text
        }

        await counted.AssertServesAsync();
        Assert.Equal(1, counted.Connections); // the HTTP/2 connection opened before is still there
        using var fresh = server.CreateClient(HttpVersion.Version20);
        Assert.Equal("""["Paris","12"]""", await fresh.GetStringAsync("/test?b=12&a=Paris"));
    }

    [Fact]
    public async Task Plain_HTTP_on_the_HTTPS_port_closes_that_connection_and_nothing_else()
    {
        await using var counted = new CountingClient(server);
        await counted.AssertServesAsync();

        var plain = new UriBuilder(server.BaseAddress) { Scheme = "http" }.Uri;
        var raw = await RawHttp.ExchangeAsync(plain, "GET /test?b=12&a=Paris HTTP/1.1");

        Assert.True(raw.Closed, raw.ToString());
        Assert.True(raw.Status is null or 400, $"plain HTTP on the HTTPS port must be closed (or get a 400), not served: {raw}");
        await counted.AssertServesAsync();
        Assert.Equal(1, counted.Connections);
        using var fresh = server.CreateClient(HttpVersion.Version20);
        Assert.Equal("""["Paris","12"]""", await fresh.GetStringAsync("/test?b=12&a=Paris"));
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_is_refused_by_the_client_not_served_in_clear()
    {
        using var untrusting = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Bound };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/test"));

        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    /// <summary>An HTTP/2 client trusting the server's certificate that counts the TCP connections it opens.</summary>
    private sealed class CountingClient : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private int _connections;

        public CountingClient(KestrelHttpsHostFixture server)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    Interlocked.Increment(ref _connections);
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                TestCertificate.TrustsOnly(server.Certificate, presented, errors);
            _client = new HttpClient(handler)
            {
                BaseAddress = server.BaseAddress,
                Timeout = Bound,
                DefaultRequestVersion = HttpVersion.Version20,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
        }

        public int Connections => Volatile.Read(ref _connections);

        public async Task AssertServesAsync()
        {
            using var response = await _client.GetAsync("/test?b=12&a=Paris");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
        }

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
