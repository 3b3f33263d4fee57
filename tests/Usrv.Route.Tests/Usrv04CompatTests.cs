using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>
/// What usrv 0.4.3's Python client does with an answer (micro-server, <c>usrv/req.py</c>, <c>manage_response</c>),
/// re-told in C# as a test oracle: its opener has no error processor, so every status is decoded alike; a
/// <c>text/</c> type is kept as text, any other type is looked up in <c>DECODERS</c> by its media type, and a type
/// missing there is Python's <c>KeyError</c> (here <see cref="KeyNotFoundException"/>).
/// </summary>
internal static class Usrv04Client
{
    private static readonly string[] Decoders =
        ["application/x-www-form-urlencoded", "application/json", "multipart/form-data", "application/octet-stream"];

    public static object? Decode(string? contentType, byte[] body)
    {
        var type = (contentType ?? "application/octet-stream").ToLowerInvariant();
        var text = Encoding.UTF8.GetString(body);
        if (type.Contains("text/", StringComparison.Ordinal)) return text;
        var media = type.Split(';')[0].Trim();
        if (!Decoders.Contains(media)) throw new KeyNotFoundException($"KeyError: '{media}'");
        return media == "application/json" ? JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement : text;
    }
}

/// <summary>
/// usrv 0.4.3's <c>FormData.decode</c> (micro-server, <c>usrv/req.py</c>), its steps re-told in C# as a test oracle
/// (not its code): the boundary is the first <c>--[0-9a-f]+</c> of the first line; the body is split on CRLF, its last
/// piece dropped; a line equal to the boundary starts a frame, any other line is added to the current frame (an
/// <see cref="InvalidOperationException"/> before the first, Python's <c>IndexError</c>); in a frame, the lines before the
/// first empty one are the part's head, the rest its data (stripped); values are the quoted <c>key="value"</c> pairs of
/// the head (an unquoted <c>name=x</c> is not one, so the part is named <c>undefined</c>).
/// </summary>
internal static partial class Usrv04FormDecode
{
    public static List<(string Name, string Data, Dictionary<string, string> Values)> Decode(string body)
    {
        var boundary = FirstLineBoundary().Match(body.Split('\n')[0]).Groups[1].Value;
        if (boundary.Length == 0) throw new InvalidOperationException("AttributeError: no boundary");
        var lines = body.Split("\r\n");
        var frames = new List<StringBuilder>();
        foreach (var line in lines[..^1])
        {
            if (line == boundary) frames.Add(new StringBuilder());
            else if (frames.Count == 0) throw new InvalidOperationException("IndexError: list index out of range");
            else frames[^1].Append(line).Append("\r\n");
        }
        var parts = new List<(string, string, Dictionary<string, string>)>();
        foreach (var frame in frames)
        {
            var split = frame.ToString().Split("\r\n");
            var separator = Array.IndexOf(split, "");
            var info = string.Join("\r\n", split[..separator]);
            var data = string.Join("\r\n", split[(separator + 1)..]).Trim();
            var values = QuotedValue().Matches(info)
                .Select(m => m.Value.Replace("\"", "", StringComparison.Ordinal).Split('='))
                .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
            var name = values.Remove("name", out var n) ? n : "undefined";
            parts.Add((name, data, values));
        }
        return parts;
    }

    [GeneratedRegex(@"^.*(--[0-9a-f]+).*")]
    private static partial Regex FirstLineBoundary();

    [GeneratedRegex(@"([\w-]*[\s]*=[\s]*""[\S]*"")")]
    private static partial Regex QuotedValue();
}

/// <summary>
/// <see cref="RouterOptions.Usrv04Compatible"/> in the router, and multipart bodies both ways (README, Working with
/// Python usrv).
/// </summary>
public sealed class Usrv04CompatTests
{
    /// <summary>usrv 0.4.3's multipart bytes, built per its <c>FormData.dumps</c> format: the stray <c>"; "</c>, no final CRLF.</summary>
    internal static byte[] Usrv04Multipart(string boundary, params (string Name, string Value)[] fields)
    {
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            body.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \r\n");
            body.Append("Content-Type: text/plain\r\n\r\n").Append(value).Append("\r\n");
        }
        body.Append($"--{boundary}--");
        return Encoding.Latin1.GetBytes(body.ToString());
    }

    private static Router Api(bool compatible)
    {
        var router = new Router(new RouterOptions { Usrv04Compatible = compatible });
        router.Bind("/only-get", () => (200, "got"));
        router.Bind("/typed", (int n) => (200, n));
        router.Bind("/boom", new Func<(int, string)>(() => throw new InvalidOperationException("secret detail")));
        router.Bind("/refuse", () => (403, "not you"));
        router.Bind("/no-status", () => (object)"no status");
        router.Bind("/headers", (Dictionary<string, string> headers) => (200, headers.Keys.Order(StringComparer.Ordinal).ToArray()));
        return router;
    }

    [Theory]
    [InlineData("GET", "/nowhere", 404, "Not Found")]
    [InlineData("POST", "/only-get", 405, "Method Not Allowed")]
    [InlineData("GET", "/typed?n=abc", 400, "Bad Request")]
    [InlineData("GET", "/boom", 500, "Internal Server Error")]
    [InlineData("GET", "/refuse", 403, "Forbidden")]
    [InlineData("GET", "/no-status", 406, "Not Acceptable")]
    public async Task With_the_option_errors_are_usrv04s_json_shape_with_the_same_status(string method, string target, int status,
        string message)
    {
        var plain = await Api(compatible: false).Send(method, target);
        var compatible = await Api(compatible: true).Send(method, target);

        // today's answer: problem details, which usrv 0.4.3's client cannot decode
        Assert.Equal(status, plain.Status);
        Assert.Equal(ProblemDetails.ContentType, plain.ContentType);
        Assert.Throws<KeyNotFoundException>(() => Usrv04Client.Decode(plain.ContentType, plain.Body.ToArray()));

        Assert.Equal(status, compatible.Status);
        Assert.Equal("application/json; charset=utf-8", compatible.ContentType);
        var decoded = (JsonElement)Usrv04Client.Decode(compatible.ContentType, compatible.Body.ToArray())!;
        Assert.Equal(["code", "message", "explain"], decoded.EnumerateObject().Select(p => p.Name));
        Assert.Equal(status, decoded.GetProperty("code").GetInt32());
        Assert.Equal(message, decoded.GetProperty("message").GetString());
        var problem = plain.Json();
        Assert.Equal(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : message,
            decoded.GetProperty("explain").GetString());
        Assert.Equal(plain.Headers, compatible.Headers); // Allow of the 405 included
        Assert.DoesNotContain("secret detail", compatible.BodyText);
    }

    [Fact]
    public async Task With_the_option_405_keeps_its_Allow_header()
    {
        var answer = await Api(compatible: true).Send("POST", "/only-get");

        Assert.Equal(405, answer.Status);
        Assert.Contains(answer.Headers, h => h.Key == "Allow" && h.Value.Contains("GET", StringComparison.Ordinal));
        Assert.Equal(405, answer.Json().GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task With_the_option_handler_headers_keep_their_case_and_lookups_ignore_it()
    {
        var sent = new (string, string)[] { ("X-Custom-Header", "1"), ("User-Agent", "Python/usrv") };

        var plain = await Api(compatible: false).Send("GET", "/headers", headers: sent);
        var compatible = await Api(compatible: true).Send("GET", "/headers", headers: sent);

        Assert.Equal("""["user-agent","x-custom-header"]""", plain.BodyText);
        Assert.Equal("""["User-Agent","X-Custom-Header"]""", compatible.BodyText);
        var headers = RequestHeaders.From([new("X-Custom-Header", "1"), new("x-custom-header", "2")]).ToDictionary();
        Assert.Equal("X-Custom-Header", Assert.Single(headers.Keys));
        Assert.Equal("2", headers["x-CUSTOM-header"]);
    }

    [Fact]
    public async Task With_the_option_kwargs_headers_keep_their_case()
    {
        var router = new Router(new RouterOptions { Usrv04Compatible = true });
        router.Bind("/kwargs", (IDictionary<string, object?> kwargs) =>
            (200, ((Dictionary<string, string>)kwargs["headers"]!).ContainsKey("Nonce") ? "Nonce" : "none"));

        var answer = await router.Send("GET", "/kwargs", headers: ("Nonce", "2025-02-09T14:16:52.000000+00:00"));

        Assert.Equal("\"Nonce\"", answer.BodyText);
    }

    [Fact]
    public async Task Puk_answers_usrv04s_64_byte_form_with_the_option_and_SEC1_compressed_without()
    {
        using var key = PrivateKey.Generate();

        var plain = await new Router(new RouterOptions { Identity = key }).Get("/puk");
        var compatible = await new Router(new RouterOptions { Identity = key, Usrv04Compatible = true }).Get("/puk");

        Assert.Equal(key.PublicKey.ToString(), plain.Json().GetString());
        Assert.Equal(key.PublicKey.ToUsrv04String(), compatible.Json().GetString());
        Assert.Equal(64, Convert.FromBase64String(compatible.Json().GetString()!).Length);
        Assert.Equal(key.PublicKey, Usrv.Crypto.PublicKey.Parse(compatible.Json().GetString()!));
    }

    [Fact]
    public async Task DotNets_multipart_is_read_by_usrv04s_decode()
    {
        using var form = new FormData()
            .Add("title", "holiday")
            .AddJson("meta", new { sea = true })
            .AddFile("notes", "abc"u8.ToArray(), "notes.txt", "text/plain");

        var (body, contentType) = await form.EncodeAsync();
        var text = Encoding.Latin1.GetString(body);

        Assert.Matches("^multipart/form-data; boundary=[0-9a-f]{32}$", contentType);
        Assert.StartsWith("--" + contentType[^32..] + "\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("--" + contentType[^32..] + "--", text, StringComparison.Ordinal); // no CRLF after the close delimiter
        var parts = Usrv04FormDecode.Decode(text);
        Assert.Equal(["title", "meta", "notes"], parts.Select(p => p.Name));
        Assert.Equal(["holiday", """{"sea":true}""", "abc"], parts.Select(p => p.Data));
        Assert.Equal("notes.txt", parts[2].Values["filename"]);
    }

    [Fact]
    public async Task Names_with_quotes_or_line_breaks_are_percent_encoded_and_read_back()
    {
        using var form = new FormData().Add("say \"hi\"", "1").Add("two\r\nlines", "2").AddFile("f", [7], "a\"b.bin");

        var (body, contentType) = await form.EncodeAsync();
        var text = Encoding.UTF8.GetString(body);
        using var read = await FormData.ReadAsync(new MemoryStream(body), contentType, new MultipartLimits());

        Assert.Contains("name=\"say %22hi%22\"", text, StringComparison.Ordinal);
        Assert.Contains("name=\"two%0D%0Alines\"", text, StringComparison.Ordinal);
        Assert.Contains("filename=\"a%22b.bin\"", text, StringComparison.Ordinal);
        Assert.Equal(["say \"hi\"", "two\r\nlines", "f"], read.Parts.Select(p => p.Name));
        Assert.Equal("a\"b.bin", read.Parts[2].FileName);
        Assert.Equal("two%0D%0Alines", Usrv04FormDecode.Decode(Encoding.Latin1.GetString(body))[1].Name);
    }

    [Fact]
    public async Task Usrv04s_exact_multipart_bytes_are_read()
    {
        const string Boundary = "5e234e6f68f30a056c2bd53e97b785e4";
        var body = Usrv04Multipart(Boundary, ("value1", "1"), ("text", "two words"));
        var router = new Router();
        router.Bind("/form", (FormData form) => (200, form.Parts.Select(p => $"{p.Name}={p.Text} ({p.ContentType})").ToArray()), "POST");

        var answer = await router.Send("POST", "/form", Encoding.Latin1.GetString(body), $"multipart/form-data; boundary={Boundary}");

        Assert.Equal(200, answer.Status);
        Assert.Equal("""["value1=1 (text/plain)","text=two words (text/plain)"]""", answer.BodyText);
        Assert.Equal(["value1", "text"], Usrv04FormDecode.Decode(Encoding.Latin1.GetString(body)).Select(p => p.Name)); // the oracle agrees
    }
}
