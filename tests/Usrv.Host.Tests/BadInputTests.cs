using System.Net;
using System.Text;
using System.Text.Json;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// Bad input never crashes the server: each case gets a 4xx (or a closed connection), and then the server answers
/// the next request. Each test runs its own host with a single request loop (<c>-t 1</c>), so "the next request
/// works" proves that the one loop survived the bad request. Written against any host kind, like
/// <see cref="DemoBindingsTests{TFixture}"/>: one derived class per host (<see cref="ListenerHostBadInputTests"/>,
/// <see cref="KestrelHostBadInputTests"/>); <see cref="HostParityTests"/> checks that both answer with the same bytes.
/// </summary>
public abstract class BadInputTests<TFixture> where TFixture : RouterHostFixture, IRouterHostFixture<TFixture>
{
    private const int Loops = 1;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="test"/> against a fresh host with <see cref="Loops"/> request loops.</summary>
    private static Task WithServer(Action<RouterHostFixture.Settings>? configure, Func<TFixture, Task> test) =>
        TFixture.RunAsync(s =>
        {
            s.Options.Threads = Loops;
            configure?.Invoke(s);
        }, test);

    private static Task WithServer(Func<TFixture, Task> test) => WithServer(null, test);

    /// <summary>The server still serves: a fresh connection gets the usual answer to <c>GET /test?b=12&amp;a=Paris</c>.</summary>
    private static async Task AssertStillServes(TFixture server)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Bound };
        using var response = await client.GetAsync("/test?b=12&a=Paris");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Problem(RawResponse raw)
    {
        Assert.Equal("application/problem+json", raw.Header("Content-Type"));
        return JsonDocument.Parse(raw.Body).RootElement;
    }

    [Theory]
    [InlineData("/te%zzst")]     // '%' not followed by two hex digits
    [InlineData("/test%")]       // '%' at the very end
    [InlineData("/%C3%28/test")] // percent-encoded bytes that are not UTF-8
    public async Task Malformed_percent_encoding_in_the_path_is_400(string path)
    {
        await WithServer(async server =>
        {
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, $"GET {path} HTTP/1.1");

            Assert.Equal(400, raw.Status);
            Assert.Contains("percent-encod", Problem(raw).GetProperty("detail").GetString());
            await AssertStillServes(server);
        });
    }

    [Theory]
    [InlineData("/test?a=%zz")]
    [InlineData("/test?a=%4")]
    [InlineData("/test?%ff=1")]
    public async Task Malformed_percent_encoding_in_the_query_is_400(string target)
    {
        await WithServer(async server =>
        {
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, $"GET {target} HTTP/1.1");

            Assert.Equal(400, raw.Status);
            Assert.Contains("percent-encod", Problem(raw).GetProperty("detail").GetString());
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task An_overlong_url_is_414()
    {
        await WithServer(async server =>
        {
            var target = "/test?a=" + new string('x', 9000); // > UsrvHostOptions.MaxUrlLength (8192)

            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, $"GET {target} HTTP/1.1");

            Assert.Equal(414, raw.Status);
            Assert.Contains("8192", Problem(raw).GetProperty("detail").GetString());
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_header_section_over_the_server_own_32_KiB_cap_is_refused_with_400_or_431_and_the_connection_closed()
    {
        // HttpListener (managed, Unix) refuses a request head over 32768 bytes itself, with a 400 and a closed connection,
        // before usrv sees the request; Kestrel (whose cap the KestrelHost sets to twice usrv's MaxHeaderBytes, 32 KiB)
        // answers 431 itself. Either way the server goes on.
        await WithServer(async server =>
        {
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, "GET /test HTTP/1.1\r\nX-Big: " + new string('h', 40_000));

            Assert.True(raw.Closed, raw.ToString());
            Assert.True(raw.Status is null or 400 or 431, raw.ToString());
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task Headers_over_MaxHeaderBytes_are_431()
    {
        await WithServer(s => s.RouterOptions.MaxHeaderBytes = 4096, async server =>
        {
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, "GET /test HTTP/1.1\r\nX-Big: " + new string('h', 8000));

            Assert.Equal(431, raw.Status);
            Assert.Contains("4096", Problem(raw).GetProperty("detail").GetString());
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_declared_larger_than_the_limit_is_413_before_it_is_read()
    {
        await WithServer(s => s.RouterOptions.MaxRequestBodyBytes = 1024, async server =>
        {
            var body = new string('x', 4096);

            var raw = await RawHttp.ExchangeAsync(server.BaseAddress,
                $"POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}", Encoding.ASCII.GetBytes(body));

            Assert.Equal(413, raw.Status);
            Assert.Contains("1024", Problem(raw).GetProperty("detail").GetString());
            Assert.Equal("close", raw.Header("Connection")); // the unread body must not be taken for the next request
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_chunked_body_that_grows_over_the_limit_is_413()
    {
        await WithServer(s => s.RouterOptions.MaxRequestBodyBytes = 1024, async server =>
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Bound };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/kwargs") { Content = new ByteArrayContent(new byte[4096]) };
            request.Headers.TransferEncodingChunked = true; // no Content-Length: the limit is checked as the body is read

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_times_out_and_the_connection_is_closed()
    {
        await WithServer(s => s.Options.BodyReadTimeout = TimeSpan.FromSeconds(1), async server =>
        {
            await using var connection = await RawHttp.ConnectAsync(server.BaseAddress);

            // Declares 100 bytes, sends 10, and keeps the connection open.
            await connection.SendAsync(RawHttp.Head(server.BaseAddress, "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 100"));
            await connection.SendAsync(Encoding.ASCII.GetBytes("0123456789"));
            var raw = await connection.ReadUntilClosedAsync(Bound);

            // Closed, with no answer or a 400/408; never a 200 for a request whose body never arrived.
            Assert.True(raw.Closed, $"the server held the connection for more than {Bound.TotalSeconds} s: {raw}");
            Assert.True(raw.Status is null or 400 or 408, raw.ToString());
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_client_that_disconnects_in_the_middle_of_a_body_does_not_stop_the_server()
    {
        await WithServer(async server =>
        {
            await using (var connection = await RawHttp.ConnectAsync(server.BaseAddress))
            {
                await connection.SendAsync(RawHttp.Head(server.BaseAddress, "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2000"));
                await connection.SendAsync(Encoding.ASCII.GetBytes(new string('x', 1000)));
            } // hangs up with half the body sent

            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_handler_that_throws_is_500_and_the_server_goes_on()
    {
        await WithServer(s => s.Router.Bind("/boom", () => (object)(1 / int.Parse("0"))), async server =>
        {
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, "GET /boom HTTP/1.1");

            Assert.Equal(500, raw.Status);
            var detail = Problem(raw).GetProperty("detail").GetString();
            Assert.DoesNotContain("DivideByZero", detail);
            Assert.DoesNotContain("divide by zero", detail, StringComparison.OrdinalIgnoreCase);
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task Several_failing_requests_in_a_row_do_not_wear_the_request_loops_out()
    {
        // Each answer that closes the connection (400, 413, 414, 500...) must leave its request loop alive.
        await TFixture.RunAsync(s => s.Options.Threads = 2, async server =>
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Bound };
            for (int i = 0; i < 5; i++)
            {
                using var failing = await client.GetAsync("/error_500");
                Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
            }

            await AssertStillServes(server);
        });
    }
}

/// <summary>Bad input on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostBadInputTests : BadInputTests<ListenerHostFixture>;

/// <summary>The same bad input on Kestrel through the ASP.NET Core adapter (<see cref="KestrelHost"/>).</summary>
public sealed class KestrelHostBadInputTests : BadInputTests<KestrelHostFixture>;

/// <summary>Bindings that cannot bind fail at bind time, with a message that says what to change, and bind nothing.</summary>
public sealed class BindingErrorTests
{
    public static class ReturnsText
    {
        [Bind("/text")]
        public static string Text() => "no status";
    }

    public static class TwiceTheSameRoute
    {
        [Bind("/same")]
        public static int First() => 200;

        [Bind("/same", "GET")]
        public static int Second() => 200;
    }

    public static class RefParameter
    {
        [Bind("/ref")]
        public static int Ref(ref int a) => a;
    }

    [Fact]
    public void A_return_type_that_can_never_carry_a_status_is_refused_at_bind_time()
    {
        var router = new Router();

        var error = Assert.Throws<BindingException>(() => router.BindType(typeof(ReturnsText)));

        Assert.Contains($"{typeof(ReturnsText).FullName}.Text", error.Message);
        Assert.Contains("status", error.Message);
        Assert.Empty(router.Bindings);
    }

    [Fact]
    public void Two_bindings_of_the_same_method_and_pattern_name_both_handlers()
    {
        var router = new Router();

        var error = Assert.Throws<BindingException>(() => router.BindType(typeof(TwiceTheSameRoute)));

        Assert.Contains("GET /same", error.Message);
        Assert.Contains($"{typeof(TwiceTheSameRoute).FullName}.First", error.Message);
        Assert.Contains($"{typeof(TwiceTheSameRoute).FullName}.Second", error.Message);
        Assert.Empty(router.Bindings);
    }

    [Fact]
    public void Binding_the_demo_bindings_twice_names_the_route_bound_twice()
    {
        var router = new Router().BindType(typeof(DemoBindings));

        var error = Assert.Throws<BindingException>(() => router.BindType(typeof(DemoBindings)));

        Assert.Contains("bound twice", error.Message);
        Assert.Equal(typeof(DemoBindings).GetMethods().Count(m => m.IsDefined(typeof(BindAttribute), false)), router.Bindings.Count);
    }

    [Fact]
    public void A_ref_parameter_is_refused_at_bind_time()
    {
        var error = Assert.Throws<BindingException>(() => new Router().BindType(typeof(RefParameter)));

        Assert.Contains("'a'", error.Message);
    }

    [Fact]
    public void A_lambda_returning_text_is_refused_at_bind_time()
    {
        var router = new Router();

        Assert.Throws<BindingException>(() => router.Bind("/hello/<name>", (string name) => $"hello {name}"));
        Assert.Empty(router.Bindings);
    }
}
