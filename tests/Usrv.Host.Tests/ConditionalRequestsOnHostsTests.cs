using System.Net;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// Conditional requests (RFC 9110 section 13; README, Conditional requests) over real sockets, the same on every host kind:
/// <see cref="Reply.WithETag"/>, <see cref="Reply.WithLastModified"/>, <see cref="RouterOptions.ComputeETags"/>.
/// </summary>
public abstract class ConditionalRequestsOnHostsTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    private static readonly bool IsListener = typeof(TFixture) == typeof(ListenerHostFixture);

    private static readonly DateTimeOffset Changed = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static void Document(RouterHostFixture.Settings s)
    {
        s.BindDemo = false;
        s.Router.Bind("/doc", () => Reply.Json(200, new { v = 1 })
            .WithETag("\"v1\"").WithLastModified(Changed.AddMilliseconds(700)).WithHeader("Cache-Control", "max-age=60"),
            "GET", "POST");
    }

    private static async Task<RawResponse> Get(RouterHostFixture server, string method, string path, string headers) =>
        await RawHttp.ExchangeAsync(server.BaseAddress, $"{method} {path} HTTP/1.1{(headers.Length > 0 ? "\r\n" + headers : "")}");

    [Theory]
    [InlineData("If-None-Match: \"v1\"")]
    [InlineData("If-None-Match: W/\"v1\"")]                         // weak comparison
    [InlineData("If-None-Match: \"other\", \"v1\"")]                // a list
    [InlineData("If-None-Match: *")]
    [InlineData("If-Modified-Since: Sun, 01 Mar 2026 12:00:00 GMT")] // Last-Modified went out in whole seconds
    [InlineData("If-Modified-Since: Mon, 02 Mar 2026 00:00:00 GMT")]
    public async Task A_matching_condition_is_answered_304_without_a_body_keeping_the_validators(string condition) =>
        await runAsync(Document, async server =>
        {
            foreach (var method in new[] { "GET", "HEAD" })
            {
                var answer = await Get(server, method, "/doc", condition);

                Assert.Equal(304, answer.Status);
                Assert.Equal("", answer.Body);
                Assert.Equal("\"v1\"", answer.Header("ETag"));
                Assert.Equal("Sun, 01 Mar 2026 12:00:00 GMT", answer.Header("Last-Modified"));
                Assert.Equal("max-age=60", answer.Header("Cache-Control"));
                Assert.Null(answer.Header("Content-Type"));
                Assert.Null(answer.Header("Transfer-Encoding"));
                // Kestrel sends none; .NET's managed HttpListener adds "Content-Length: 0" to a 304 itself.
                Assert.True(answer.Header("Content-Length") is null || (answer.Header("Content-Length") == "0" && IsListener), answer.ToString());
            }
        });

    [Theory]
    [InlineData("If-None-Match: \"v2\"")]
    [InlineData("If-None-Match: \"v2\"\r\nIf-Modified-Since: Mon, 02 Mar 2026 00:00:00 GMT")] // If-None-Match decides (13.2.2)
    [InlineData("If-Modified-Since: Sat, 28 Feb 2026 00:00:00 GMT")]
    [InlineData("If-Modified-Since: not a date")]
    public async Task A_condition_that_fails_gets_the_200(string condition) =>
        await runAsync(Document, async server =>
        {
            var answer = await Get(server, "GET", "/doc", condition);

            Assert.Equal(200, answer.Status);
            Assert.Equal("{\"v\":1}", answer.Body);
            Assert.Equal("\"v1\"", answer.Header("ETag"));
        });

    [Fact]
    public async Task A_post_is_never_304() =>
        await runAsync(Document, async server =>
        {
            var answer = await Get(server, "POST", "/doc", "If-None-Match: \"v1\"\r\nContent-Length: 0");

            Assert.Equal(200, answer.Status);
        });

    [Fact]
    public async Task ComputeETags_gives_JSON_answers_a_strong_ETag_of_their_bytes()
    {
        int version = 1;
        await runAsync(s =>
        {
            s.BindDemo = false;
            s.RouterOptions.ComputeETags = true;
            s.Router.Bind("/count", () => (200, new { version }));
            s.Router.Bind("/text", () => Reply.Text(200, "plain"));
        }, async server =>
        {
            using var first = await server.Client.GetAsync("/count");
            var etag = first.Headers.ETag;
            Assert.NotNull(etag);
            Assert.False(etag.IsWeak);
            Assert.Equal(24, etag.Tag.Length);

            using var again = new HttpRequestMessage(HttpMethod.Get, "/count") { Headers = { IfNoneMatch = { etag } } };
            using var notModified = await server.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(etag, notModified.Headers.ETag);

            version = 2;
            using var changed = new HttpRequestMessage(HttpMethod.Get, "/count") { Headers = { IfNoneMatch = { etag } } };
            using var fresh = await server.Client.SendAsync(changed);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Equal("{\"version\":2}", await fresh.Content.ReadAsStringAsync());
            Assert.NotEqual(etag, fresh.Headers.ETag);

            using var text = await server.Client.GetAsync("/text");
            Assert.Null(text.Headers.ETag); // only JSON answers
        });
    }

    // Through usrv's client: the ETag a GET answered is sent back as If-None-Match, and the 304 comes back as such.
    [Fact]
    public async Task The_client_revalidates_with_the_ETag_it_got_and_reads_the_304() =>
        await runAsync(Document, async server =>
        {
            using var peer = new Usrv.Route.Client.Peer(server.BaseAddress.ToString());

            var first = await peer.SendAsync(new Usrv.Route.Client.PeerCall(HttpMethod.Get, "/doc"));
            Assert.Equal(200, first.Status);
            var etag = first.Headers["ETag"];
            Assert.Equal("\"v1\"", etag);

            var again = new Usrv.Route.Client.PeerCall(HttpMethod.Get, "/doc");
            again.Headers["If-None-Match"] = etag;
            var revalidated = await peer.SendAsync(again);

            Assert.Equal(304, revalidated.Status);
            Assert.Empty(revalidated.Body);
            Assert.Equal(etag, revalidated.Headers["ETag"]);
        });

    [Fact]
    public async Task A_sealed_call_is_never_304_and_gets_no_computed_ETag()
    {
        using var client = PrivateKey.Generate();
        await runAsync(s =>
        {
            s.BindDemo = false;
            s.RouterOptions.ComputeETags = true;
            s.Router.Bind("/doc", () => Reply.Json(200, new { v = 1 }).WithETag("\"v1\""));
            s.Router.Bind("/count", () => (200, 1));
        }, async server =>
        {
            foreach (var path in new[] { "/doc", "/count" })
            {
                var call = SealedCall.Seal(client, server.Router.PublicKey, "GET", server.BaseAddress.Authority, path, null, null)
                    .With("If-None-Match", "\"v1\", *")
                    .With("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT");
                var answer = await call.SendAsync(server.Client);

                Assert.Equal(200, answer.Status);
                Assert.True(answer.IsSealed, answer.ToString());
                Assert.NotEmpty(answer.OpenWith(call.Sealing));
            }
        });
    }
}

public sealed class ListenerHostConditionalRequestsTests()
    : ConditionalRequestsOnHostsTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

public sealed class KestrelHostConditionalRequestsTests()
    : ConditionalRequestsOnHostsTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
