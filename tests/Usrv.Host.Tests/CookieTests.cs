using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Host.Tests;

/// <summary>The README's "Cookies" bindings, as written there (<see cref="CookieTests{TFixture}"/> serves them).</summary>
public static class ReadmeCookieApi
{
    [Bind("/login", "POST")]
    public static Reply Login(string user) =>
        Reply.Json(200, "welcome")
            .WithProtectedCookie("session", user, new ReplyCookieOptions { MaxAge = TimeSpan.FromHours(8) })
            .WithCookie("theme", "dark mode", new ReplyCookieOptions { HttpOnly = false, SameSite = SameSiteMode.Strict });

    [Bind("/me")]
    public static (int, object?) Me([FromCookie("session", Protected = true)] string? user, [FromCookie] string theme = "light") =>
        user is null ? (401, "log in first") : (200, new { user, theme });

    [Bind("/logout", "POST")]
    public static Reply Logout() => Reply.Json(200, "bye").WithoutCookie("session");
}

/// <summary>
/// Cookies over real sockets, the same on every host kind: <c>[FromCookie]</c> and <see cref="UsrvRequest.Cookies"/> read
/// them, <see cref="Reply.WithCookie"/> sets them as one <c>Set-Cookie</c> line each, protected cookies travel encrypted
/// and a client's change makes them absent, and the .NET client sends back what the server set.
/// </summary>
public abstract class CookieTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    private static void Configure(RouterHostFixture.Settings s)
    {
        s.RouterOptions.DataProtection = DataProtectionProvider.Create("my-app"); // README, Cookies
        s.Router.BindType(typeof(ReadmeCookieApi));
        s.Router.Bind("/cookies", (UsrvRequest request) => (200, request.Cookies));
        s.Router.Bind("/count", ([FromCookie] int visits = 0) => Reply.Json(200, visits + 1).WithCookie("visits", $"{visits + 1}"));
        s.Router.Bind("/two", () => Reply.Text(200, "two").WithCookie("a", "1").WithCookie("b", "2, with a comma; and more"));
    }

    private static HttpClient NoJar(TFixture server) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.BaseAddress, Timeout = UsrvHostFixture.RequestTimeout };

    [Fact]
    public async Task Each_cookie_is_its_own_Set_Cookie_line_with_secure_defaults_on_plain_HTTP() =>
        await runAsync(Configure, async server =>
        {
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, "GET /two HTTP/1.1");

            var lines = raw.Head.Split("\r\n").Where(l => l.StartsWith("Set-Cookie:", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Equal("a=1; path=/; samesite=lax; httponly", lines[0]["Set-Cookie:".Length..].Trim());
            Assert.Equal("b=2%2C%20with%20a%20comma%3B%20and%20more; path=/; samesite=lax; httponly", lines[1]["Set-Cookie:".Length..].Trim());
        });

    [Fact]
    public async Task FromCookie_and_request_Cookies_read_the_Cookie_header_decoded() =>
        await runAsync(Configure, async server =>
        {
            using var client = NoJar(server);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/cookies");
            request.Headers.Add("Cookie", "visits=41; theme=dark%20mode; visits=7");
            using var all = await client.SendAsync(request);
            using var count = new HttpRequestMessage(HttpMethod.Get, "/count");
            count.Headers.Add("Cookie", "visits=41");
            using var counted = await client.SendAsync(count);
            using var bad = new HttpRequestMessage(HttpMethod.Get, "/count");
            bad.Headers.Add("Cookie", "visits=many");
            using var refused = await client.SendAsync(bad);

            Assert.Equal("""{"visits":"41","theme":"dark mode"}""", await all.Content.ReadAsStringAsync());
            Assert.Equal("42", await counted.Content.ReadAsStringAsync());
            Assert.Equal("visits=42; path=/; samesite=lax; httponly", counted.Headers.GetValues("Set-Cookie").Single());
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("parameter 'visits'", await refused.Content.ReadAsStringAsync());
        });

    [Fact]
    public async Task Readme_a_protected_cookie_round_trips_in_a_cookie_jar_and_is_absent_once_altered() =>
        await runAsync(Configure, async server =>
        {
            var jar = new CookieContainer();
            using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = jar })
            {
                BaseAddress = server.BaseAddress,
                Timeout = UsrvHostFixture.RequestTimeout,
            };

            using var anonymous = await client.GetAsync("/me");
            using var login = await client.PostAsync("/login?user=ada", null);
            var session = jar.GetCookies(server.BaseAddress)["session"]!;
            using var me = await client.GetAsync("/me");
            session.Value = session.Value[..^2] + (session.Value[^2] == 'A' ? "B" : "A") + session.Value[^1];
            using var altered = await client.GetAsync("/me");
            using var logout = await client.PostAsync("/logout", null);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain("ada", session.Value);                       // encrypted, not only signed
            Assert.True(session.HttpOnly);
            Assert.Equal("""{"user":"ada","theme":"dark mode"}""", await me.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, altered.StatusCode);    // a changed value reads as absent
            Assert.Contains(login.Headers.GetValues("Set-Cookie"), v => v.StartsWith("theme=dark%20mode; path=/; samesite=strict", StringComparison.Ordinal));
            Assert.Null(jar.GetCookies(server.BaseAddress)["session"]);        // dropped by /logout
        });

    [Fact]
    public async Task A_cookie_that_does_not_unprotect_is_logged_at_debug()
    {
        var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(lines));
        await runAsync(s =>
        {
            s.Loggers = loggers;
            Configure(s);
        }, async server =>
        {
            using var client = NoJar(server);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            request.Headers.Add("Cookie", "session=ada");
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var line = await lines.WaitForAsync(l => l.Category == "Usrv.Route.Cookies", TimeSpan.FromSeconds(5));
            Assert.Equal(LogLevel.Debug, line?.Level);
            Assert.Contains("cookie 'session'", line?.Message);
        });
    }

    [Fact]
    public async Task The_client_Peer_sends_back_the_cookies_the_server_set() =>
        await runAsync(Configure, async server =>
        {
            var jar = new CookieContainer();
            using var peer = new Peer(server.BaseAddress.ToString(), new PeerOptions { Cookies = jar });

            var first = await peer.GetAsync<int>("/count");
            var second = await peer.GetAsync<int>("/count");

            Assert.Equal((1, 2), (first, second));
            Assert.Equal("2", jar.GetCookies(server.BaseAddress)["visits"]?.Value);
        });
}

/// <summary>Cookies on the built-in host.</summary>
public sealed class ListenerHostCookieTests() : CookieTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>Cookies on Kestrel.</summary>
public sealed class KestrelHostCookieTests() : CookieTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);

/// <summary>Over HTTPS a cookie is <c>Secure</c> by default (the host tells the router the request's scheme).</summary>
public sealed class HttpsCookieTests
{
    [Fact]
    public async Task Over_HTTPS_cookies_are_Secure_by_default() =>
        await KestrelHttpsHostFixture.RunAsync(s => s.Router.Bind("/c", () => Reply.Text(200, "c").WithCookie("c", "1")), async server =>
        {
            using var response = await server.CreateClient(HttpVersion.Version11).GetAsync("/c");

            Assert.Equal("c=1; path=/; secure; samesite=lax; httponly", response.Headers.GetValues("Set-Cookie").Single());
        });
}
