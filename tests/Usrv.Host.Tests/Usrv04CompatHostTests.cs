using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// <see cref="RouterOptions.Usrv04Compatible"/> (<c>usrv --usrv04-compat</c>) over real sockets, on each host kind
/// (<see cref="ListenerHostUsrv04CompatTests"/>, <see cref="KestrelHostUsrv04CompatTests"/>): errors in usrv 0.4.3's JSON
/// shape with the same status, handler headers in their received case, <c>/puk</c> in usrv 0.4.3's form, and usrv 0.4.3's
/// own multipart bytes read (README, Working with Python usrv).
/// </summary>
public abstract class Usrv04CompatHostTests<TFixture> where TFixture : RouterHostFixture, IRouterHostFixture<TFixture>
{
    private static void Configure(RouterHostFixture.Settings s, bool compatible)
    {
        s.BindDemo = false;
        s.RouterOptions.Usrv04Compatible = compatible;
        s.RouterOptions.MaxRequestBodyBytes = 16;
        s.Router
            .Bind("/only-get", () => (200, "got"))
            .Bind("/typed", (int n) => (200, n))
            .Bind("/boom", new Func<(int, string)>(() => throw new InvalidOperationException("secret detail")))
            .Bind("/headers", (Dictionary<string, string> headers) => (200, headers.Keys.Order(StringComparer.Ordinal).ToArray()))
            .Bind("/form", (FormData form) => (200, form.Parts.Select(p => $"{p.Name}={p.Text}").ToArray()), "POST");
    }

    private static Task Serve(bool compatible, Func<TFixture, Task> test) => TFixture.RunAsync(s => Configure(s, compatible), test);

    public static TheoryData<string, int, string> Errors => new()
    {
        { "GET /nowhere HTTP/1.1", 404, "Not Found" },
        { "POST /only-get HTTP/1.1\r\nContent-Length: 0", 405, "Method Not Allowed" },
        { "GET /typed?n=abc HTTP/1.1", 400, "Bad Request" },
        { "GET /boom HTTP/1.1", 500, "Internal Server Error" },
        { "POST /only-get HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 64", 413, "Payload Too Large" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Errors_are_usrv04s_json_with_the_option_and_problem_details_without(string head, int status, string message)
    {
        var body = head.Contains("Content-Length: 64", StringComparison.Ordinal) ? new byte[64] : null;
        RawResponse plain = null!, compatible = null!;
        await Serve(compatible: false, async server => plain = await RawHttp.ExchangeAsync(server.BaseAddress, head, body));
        await Serve(compatible: true, async server => compatible = await RawHttp.ExchangeAsync(server.BaseAddress, head, body));

        Assert.Equal(status, plain.Status);
        Assert.Equal("application/problem+json", plain.Header("Content-Type"));

        Assert.Equal(status, compatible.Status);
        Assert.Equal("application/json; charset=utf-8", compatible.Header("Content-Type"));
        var error = JsonDocument.Parse(compatible.Body).RootElement;
        Assert.Equal(["code", "message", "explain"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(JsonDocument.Parse(plain.Body).RootElement.GetProperty("detail").GetString(), error.GetProperty("explain").GetString());
        Assert.DoesNotContain("secret detail", compatible.Body);
        Assert.Equal(plain.Header("Allow"), compatible.Header("Allow"));
    }

    [Fact]
    public async Task Handler_headers_keep_their_case_with_the_option()
    {
        const string Head = "GET /headers HTTP/1.1\r\nX-Custom-Header: 1\r\nx-lower-case: 2";
        RawResponse plain = null!, compatible = null!;
        await Serve(compatible: false, async server => plain = await RawHttp.ExchangeAsync(server.BaseAddress, Head));
        await Serve(compatible: true, async server => compatible = await RawHttp.ExchangeAsync(server.BaseAddress, Head));

        var plainNames = JsonSerializer.Deserialize<string[]>(plain.Body)!;
        var keptNames = JsonSerializer.Deserialize<string[]>(compatible.Body)!;
        Assert.Contains("x-custom-header", plainNames);
        Assert.DoesNotContain("X-Custom-Header", plainNames);
        Assert.Contains("X-Custom-Header", keptNames);
        Assert.Contains("x-lower-case", keptNames);
        Assert.DoesNotContain("x-custom-header", keptNames);
    }

    [Fact]
    public async Task Puk_is_usrv04s_64_byte_form_with_the_option()
    {
        await Serve(compatible: true, async server =>
        {
            var puk = await server.Client.GetFromJsonAsync<string>("/puk");

            Assert.Equal(server.Router.PublicKey.ToUsrv04String(), puk);
            Assert.Equal(64, Convert.FromBase64String(puk!).Length);
        });
        await Serve(compatible: false, async server =>
            Assert.Equal(server.Router.PublicKey.ToString(), await server.Client.GetFromJsonAsync<string>("/puk")));
    }

    [Fact]
    public async Task A_sealed_calls_error_stays_sealed_problem_details_with_the_option()
    {
        using var identity = PrivateKey.Generate();
        using var caller = PrivateKey.Generate();
        await TFixture.RunAsync(s =>
        {
            s.RouterOptions.Identity = identity;
            Configure(s, compatible: true);
        }, async server =>
        {
            var call = SealedCall.Seal(caller, identity.PublicKey, "GET", server.BaseAddress.Authority, "/nowhere", null, null);

            var answer = await call.SendAsync(server.Client);

            Assert.Equal(404, answer.Status);
            Assert.True(answer.IsSealed);
            Assert.Equal("application/problem+json", answer.MediaType); // signed: left as it is, and it opens
            Assert.Equal(404, JsonDocument.Parse(answer.OpenWith(call.Sealing)).RootElement.GetProperty("status").GetInt32());
        });
    }

    [Fact]
    public async Task Usrv04s_exact_multipart_bytes_are_read_through_a_real_request()
    {
        // usrv 0.4.3's FormData.dumps format: a 32-hex boundary, the stray "; " after the name, no CRLF at the end
        const string Boundary = "9f1c0e5b2a7d4c3e8b6a5f4e3d2c1b0a";
        var body = Encoding.Latin1.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"value1\"; \r\nContent-Type: text/plain\r\n\r\n1\r\n" +
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"value2\"; \r\nContent-Type: text/plain\r\n\r\ntwo\r\n" +
            $"--{Boundary}--");
        await TFixture.RunAsync(s =>
        {
            Configure(s, compatible: true);
            s.RouterOptions.MaxRequestBodyBytes = 1024;
        }, async server =>
        {
            var answer = await RawHttp.ExchangeAsync(server.BaseAddress,
                $"POST /form HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {body.Length}", body);

            Assert.Equal(200, answer.Status);
            Assert.Equal("""["value1=1","value2=two"]""", answer.Body);
        });
    }
}

/// <summary><see cref="Usrv04CompatHostTests{TFixture}"/> on the built-in host.</summary>
public sealed class ListenerHostUsrv04CompatTests : Usrv04CompatHostTests<ListenerHostFixture>;

/// <summary><see cref="Usrv04CompatHostTests{TFixture}"/> on Kestrel.</summary>
public sealed class KestrelHostUsrv04CompatTests : Usrv04CompatHostTests<KestrelHostFixture>;
