using System.Text;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// The built-in host and the ASP.NET Core adapter answer bad input alike: for every request the built-in host refuses
/// (or fails) with a 4xx or 5xx, the adapter answers the same status, content type, <c>Allow</c> header and body bytes,
/// detail text included. Each request is sent byte for byte the same, on a raw socket, to one host of each kind,
/// both started with the same limits. Where one host's own parser refuses bytes before usrv sees them, the other host
/// refuses them through usrv with the same status (<see cref="HostCase"/>); the bodies cannot match there.
/// </summary>
public sealed class HostParityTests(HostParityTests.HostPair hosts) : IClassFixture<HostParityTests.HostPair>
{
    /// <summary>The body limit both hosts get, so that 413 is cheap to reach.</summary>
    public const int MaxBodyBytes = 1024;

    /// <summary>One <see cref="ListenerHostFixture"/> and one <see cref="KestrelHostFixture"/> with the same settings.</summary>
    public sealed class HostPair : IAsyncLifetime
    {
        public ListenerHostFixture Listener { get; private set; } = null!;
        public KestrelHostFixture Kestrel { get; private set; } = null!;

        private static void Configure(RouterHostFixture.Settings settings)
        {
            settings.RouterOptions.MaxRequestBodyBytes = MaxBodyBytes;
            var staged = new BindOptions();
            staged.Stages.Add(new RefusingStage("deny", 403, "refused by the endpoint's stage"));
            settings.Router
                .Bind("/partners", () => (200, "partners"), new BindOptions { SenderPolicy = new RequireSenderAttribute() })
                .Bind("/order", (Order order) => (200, order.Id), "POST")
                .Bind("/staged", () => (200, "staged"), staged)
                .Bind("/files/<path:rest>", (string rest) => (200, rest))
                .Bind("/form", (FormData form) => (200, form.Parts.Count), "POST")
                .Use(new RefusingStage("refuse", 401, "refused by a user stage"));
        }

        public async Task InitializeAsync()
        {
            Listener = await ListenerHostFixture.StartAsync(Configure);
            Kestrel = await KestrelHostFixture.StartAsync(Configure);
        }

        public async Task DisposeAsync()
        {
            if (Kestrel is not null) await Kestrel.DisposeAsync();
            if (Listener is not null) await Listener.DisposeAsync();
        }
    }

    /// <summary>A JSON body parameter.</summary>
    public sealed record Order(int Id);

    /// <summary>Refuses a request whose query names <c>key</c>, with a <c>WWW-Authenticate</c> header.</summary>
    private sealed class RefusingStage(string key, int status, string detail) : IUsrvStage
    {
        public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next) =>
            request.Query.Last(key) is null
                ? next(request)
                : throw new ProblemException(status, detail, headers: [new("WWW-Authenticate", "ApiKey")]);
    }

    private static readonly string Multipart = "--b\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n1\r\n--b--\r\n";

    /// <summary>A request (request line and headers, plus body bytes) and the status the built-in host answers it with.</summary>
    private sealed record Case(int Status, string Head, byte[]? Body = null);

    private static readonly string Big = new('x', 4096);

    private static string Form(string disposition) => $"--b\r\nContent-Disposition: {disposition}\r\n\r\n1\r\n--b--\r\n";

    private static Case FormCase(string disposition) => new(400,
        $"POST /form HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {Form(disposition).Length}",
        Encoding.ASCII.GetBytes(Form(disposition)));

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["percent-encoding: '%' not followed by hex digits"] = new(400, "GET /te%zzst HTTP/1.1"),
        ["percent-encoding: '%' at the end of the path"] = new(400, "GET /test% HTTP/1.1"),
        ["percent-encoding: bytes that are not UTF-8"] = new(400, "GET /%C3%28/test HTTP/1.1"),
        ["percent-encoding: bad query value"] = new(400, "GET /test?a=%zz HTTP/1.1"),
        ["percent-encoding: one hex digit in the query"] = new(400, "GET /test?a=%4 HTTP/1.1"),
        ["percent-encoding: query name not UTF-8"] = new(400, "GET /test?%ff=1 HTTP/1.1"),
        ["URL over 8192 characters: 414"] = new(414, "GET /test?a=" + new string('x', 9000) + " HTTP/1.1"),
        ["URL of 20000 characters, far over 8192: 414"] = new(414, "GET /test?a=" + new string('x', 20_000) + " HTTP/1.1"),
        ["headers over 16 KiB: 431"] = new(431, "GET /test HTTP/1.1\r\nX-Big: " + new string('h', 20_000)),
        ["declared body over the limit: 413"] = new(413,
            $"POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: {Big.Length}", Encoding.ASCII.GetBytes(Big)),
        ["chunked body growing over the limit: 413"] = new(413,
            "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked",
            Encoding.ASCII.GetBytes($"{Big.Length:x}\r\n{Big}\r\n0\r\n\r\n")),
        ["value that is not an int: 400"] = new(400, "GET /vargs?a=x&b=notanint HTTP/1.1"),
        ["unbound path: 404"] = new(404, "GET /nope HTTP/1.1"),
        ["typed segment that does not parse: 404"] = new(404, "GET /abc/test HTTP/1.1"),
        ["method not bound: 405 with Allow"] = new(405, "DELETE /test HTTP/1.1"),
        ["answer without a status: 406"] = new(406, "GET /error_406 HTTP/1.1"),
        ["handler that throws: 500"] = new(500, "GET /error_500 HTTP/1.1"),
        ["user stage refusal: 401 with WWW-Authenticate"] = new(401, "GET /test?refuse=1 HTTP/1.1"),
        ["endpoint stage refusal: 403"] = new(403, "GET /staged?deny=1 HTTP/1.1"),
        ["sender policy, plain call: 401"] = new(401, "GET /partners HTTP/1.1"),
        ["JSON body that does not fit the parameter: 400"] = new(400,
            "POST /order HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 10", Encoding.ASCII.GetBytes("{\"id\":\"x\"}")),
        ["multipart body for a JSON parameter: 415"] = new(415,
            $"POST /order HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {Multipart.Length}",
            Encoding.ASCII.GetBytes(Multipart)),
        ["envelope: usrv/1's Usrv-Cipher: 415"] = new(415, "GET /test HTTP/1.1\r\nUsrv-Cipher: aes-256-gcm"),
        ["envelope: usrv 0.4's sealed set: 415"] = new(415, "GET /test HTTP/1.1\r\nEphemeral-Public-Key: x\r\nSender-Signature: y"),
        ["envelope: usrv/2 without its other headers: 400"] = new(400, "GET /test HTTP/1.1\r\nUsrv-Scheme: usrv/2"),
        ["envelope: usrv/2 with an unknown scheme version: 415 or 400"] = new(0, "GET /test HTTP/1.1\r\nUsrv-Scheme: usrv/9"),
        ["path capture: literal dot-segments: 400"] = new(400, "GET /files/../../etc/passwd HTTP/1.1"),
        ["path capture: '..' inside: 400"] = new(400, "GET /files/a/../../etc/passwd HTTP/1.1"),
        ["path capture: encoded dot-segment %2e%2e: 400"] = new(400, "GET /files/%2e%2e/etc/passwd HTTP/1.1"),
        ["path capture: encoded dot-segment %2E: 400"] = new(400, "GET /files/a/%2E/b HTTP/1.1"),
        ["path capture: %2F%2F making an empty segment: 400"] = new(400, "GET /files/a%2F%2Fb HTTP/1.1"),
        ["path capture: %2F making a leading '/': 400"] = new(400, "GET /files/%2Fetc%2Fpasswd HTTP/1.1"),
        ["path capture: '//' in the path: 400"] = new(400, "GET /files/a//b HTTP/1.1"),
        ["path capture: %5C backslash: 400"] = new(400, "GET /files/..%5C..%5Cwindows HTTP/1.1"),
        ["path capture: raw backslash: 400"] = new(400, "GET /files/a\\b HTTP/1.1"),
        ["path capture: query value overriding it: 400"] = new(400, "GET /files/ok?rest=../etc HTTP/1.1"),
        ["path capture: safe path: 200"] = new(200, "GET /files/a/b..c/.d HTTP/1.1"),
        ["request-target: raw 0x01 in the query: 400"] = new(400, "GET /test?a=\u0001 HTTP/1.1"),
        ["request-target: raw 0x7F in the path: 400"] = new(400, "GET /te\u007Fst HTTP/1.1"),
        ["request-target: raw 0x1F in a path capture: 400"] = new(400, "GET /files/a\u001Fb HTTP/1.1"),
        ["multipart: a part without a name: 400"] = FormCase("form-data"),
        ["multipart: a part with an empty name: 400"] = FormCase("form-data; name=\"\""),
        ["multipart: a file part without a name: 400"] = FormCase("form-data; filename=\"a.txt\""),
        ["multipart: a named part: 200"] = new(200, FormCase("form-data; name=\"a\"").Head, FormCase("form-data; name=\"a\"").Body),
        ["control: 200"] = new(200, "GET /test?b=12&a=Paris HTTP/1.1"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Both_hosts_answer_with_the_same_status_content_type_and_body(string name)
    {
        var request = Cases[name];

        var listener = await RawHttp.ExchangeAsync(hosts.Listener.BaseAddress, request.Head, request.Body);
        var kestrel = await RawHttp.ExchangeAsync(hosts.Kestrel.BaseAddress, request.Head, request.Body);

        Assert.True(request.Status == 0 ? listener.Status >= 400 : request.Status == listener.Status,
            $"built-in host: expected {request.Status}, got {listener}");
        Assert.True(listener.Status == kestrel.Status, $"status: built-in {listener.Status}, adapter {kestrel}");
        Assert.Equal(listener.Header("Content-Type"), kestrel.Header("Content-Type"));
        Assert.Equal(listener.Header("Allow"), kestrel.Header("Allow"));
        Assert.Equal(listener.Header("WWW-Authenticate"), kestrel.Header("WWW-Authenticate"));
        Assert.Equal(BodyText(listener), BodyText(kestrel)); // text first: a readable diff when they differ
        Assert.Equal(BodyBytes(listener), BodyBytes(kestrel));
        if (request.Status >= 400) Assert.Equal("application/problem+json", kestrel.Header("Content-Type"));
        if (request.Status == 405) Assert.Equal("GET, HEAD", kestrel.Header("Allow"));
        if (name.Contains("WWW-Authenticate")) Assert.Equal("ApiKey", kestrel.Header("WWW-Authenticate"));
    }

    /// <summary>
    /// A request that one host's own parser refuses before usrv sees it, with its own 400 (not problem details), while the
    /// other host hands it to usrv, which refuses it with a 400 problem: the status is the same, the bodies cannot be.
    /// </summary>
    private sealed record HostCase(string Head, bool BuiltInAnswersWithUsrv, bool KestrelAnswersWithUsrv);

    private static readonly Dictionary<string, HostCase> HostCases = new()
    {
        // Kestrel refuses a NUL decoded from the path itself; the built-in host leaves it to usrv's path-capture rule.
        ["path capture: %00: usrv on the built-in host, Kestrel itself"] = new("GET /files/a%00b HTTP/1.1", true, false),
        // HttpListener refuses control characters in header names and values itself; Kestrel lets 0x01-0x1F and 0x7F through.
        ["header value: 0x01: the built-in host itself, usrv on Kestrel"] = new("GET /test HTTP/1.1\r\nX-Note: a\u0001b", false, true),
        ["header value: 0x7F: the built-in host itself, usrv on Kestrel"] = new("GET /test HTTP/1.1\r\nX-Note: a\u007Fb", false, true),
        ["header value: 0x1B: the built-in host itself, usrv on Kestrel"] = new("GET /test HTTP/1.1\r\nX-Note: \u001B[31m", false, true),
        ["header name: 0x01: the built-in host itself, usrv on Kestrel"] = new("GET /test HTTP/1.1\r\nX-No\u0001te: a", false, true),
        ["header value: NUL: both hosts themselves"] = new("GET /test HTTP/1.1\r\nX-Note: a\u0000b", false, false),
    };

    public static TheoryData<string> HostCaseNames => [.. HostCases.Keys];

    [Theory]
    [MemberData(nameof(HostCaseNames))]
    public async Task Where_a_host_refuses_bytes_itself_the_other_host_refuses_them_through_usrv_with_the_same_status(string name)
    {
        var request = HostCases[name];

        var listener = await RawHttp.ExchangeAsync(hosts.Listener.BaseAddress, request.Head);
        var kestrel = await RawHttp.ExchangeAsync(hosts.Kestrel.BaseAddress, request.Head);

        Assert.True(listener.Status == 400, $"built-in host: expected 400, got {listener}");
        Assert.True(kestrel.Status == 400, $"adapter: expected 400, got {kestrel}");
        AssertAnsweredBy(request.BuiltInAnswersWithUsrv, listener);
        AssertAnsweredBy(request.KestrelAnswersWithUsrv, kestrel);
    }

    // Neither host lets usrv see a Content-Length as sent, so each host's own parser decides it (README, "What each
    // host decides"): HttpListener refuses a sign, Kestrel reads "+5" as 5 and hands usrv "5". This pins both, so
    // that a change in either parser shows here and in the README's table at once.
    [Fact]
    public async Task A_Content_Length_with_a_sign_is_refused_by_HttpListener_and_read_as_5_by_Kestrel()
    {
        var head = "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: +5";

        var listener = await RawHttp.ExchangeAsync(hosts.Listener.BaseAddress, head, "hello"u8.ToArray());
        var kestrel = await RawHttp.ExchangeAsync(hosts.Kestrel.BaseAddress, head, "hello"u8.ToArray());

        Assert.Equal(400, listener.Status);
        AssertAnsweredBy(usrv: false, listener);
        Assert.Equal(200, kestrel.Status);
        Assert.Contains("\"data\":\"hello\"", BodyText(kestrel));
    }

    // usrv answers with problem details; a host's own refusal does not (HttpListener: text/html; Kestrel: no body).
    private static void AssertAnsweredBy(bool usrv, RawResponse response)
    {
        if (usrv)
        {
            Assert.Equal("application/problem+json", response.Header("Content-Type"));
            Assert.Contains("\"status\":400", BodyText(response));
        }
        else
        {
            Assert.NotEqual("application/problem+json", response.Header("Content-Type"));
        }
    }

    /// <summary>The body of <paramref name="response"/>, de-chunked when it was sent with <c>Transfer-Encoding: chunked</c>.</summary>
    public static byte[] BodyBytes(RawResponse response)
    {
        var body = Encoding.Latin1.GetBytes(response.Body); // Latin-1 maps bytes to chars one to one
        if (!string.Equals(response.Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase)) return body;
        var result = new MemoryStream();
        int at = 0;
        while (true)
        {
            int lineEnd = IndexOf(body, "\r\n"u8, at);
            Assert.True(lineEnd >= 0, $"truncated chunked body: {response}");
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, at, lineEnd - at).Split(';')[0].Trim(), 16);
            at = lineEnd + 2;
            if (size == 0) return result.ToArray();
            result.Write(body, at, size);
            at += size + 2;
        }
    }

    private static string BodyText(RawResponse response) => Encoding.UTF8.GetString(BodyBytes(response));

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> value, int start)
    {
        int index = bytes.AsSpan(start).IndexOf(value);
        return index < 0 ? -1 : start + index;
    }
}
