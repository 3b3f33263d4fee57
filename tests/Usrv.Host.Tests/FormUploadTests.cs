using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Host.Tests;

/// <summary>What a handler read of one multipart part (written back as JSON by <see cref="FormUploadTests{TFixture}"/>).</summary>
public sealed record PartReport(string Name, string? FileName, string? ContentType, long Length, bool IsInMemory, string Sha256, string? Text)
{
    public static PartReport Of(FormPart part)
    {
        using var content = part.OpenRead();
        return new PartReport(part.Name, part.FileName, part.ContentType, part.Length, part.IsInMemory,
            Convert.ToHexString(SHA256.HashData(content)), part.IsFile ? null : part.Text);
    }
}

/// <summary>
/// Issue 4 over real sockets: <see cref="FormData"/> sent by the client and read by a handler, round trip — text
/// fields, JSON parts, files from a path, a stream and bytes, and a 20 MB file part that must not sit in memory.
/// The handler reports what it read (length and SHA-256 of every part); large parts go to temporary files that are
/// gone when the request ends. Written once, run on every host kind.
/// </summary>
public abstract class FormUploadTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync) : IDisposable
    where TFixture : RouterHostFixture
{
    private static readonly TimeSpan LargeUploadBound = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("usrv-form-tests-").FullName;
    private readonly string _spill = Directory.CreateTempSubdirectory("usrv-form-spill-").FullName;

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_spill, recursive: true);
    }

    private Task Serve(Func<TFixture, Task> test) => runAsync(s =>
    {
        s.RouterOptions.Multipart.TempFolder = _spill; // to check that large parts were spilled, then deleted
        s.Router.BindType(typeof(ReadmeUploadApi));
        s.Router.Bind("/data", (object? data) => (200, data), "POST");
        s.Router.Bind("/parts", (FormData form) =>
        {
            var spilled = Directory.GetFiles(_spill).Length; // while the request runs
            return (200, form.Parts.Select(PartReport.Of).ToList(), spilled);
        }, "POST");
    }, test);

    private static async Task<(PartReport[] Parts, long Spilled)> Parts(Task<object?> call)
    {
        var answer = (List<object?>)(await call)!;
        var parts = JsonSerializer.Deserialize<PartReport[]>(JsonSerializer.Serialize(answer[0], UsrvJson.Options), UsrvJson.Options)!;
        return (parts, Convert.ToInt64(answer[1]));
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    [Fact]
    public async Task Text_fields_and_json_parts_round_trip()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(server.BaseAddress.ToString());
            using var form = new FormData()
                .Add("title", "holiday")
                .Add("empty", "")
                .Add("accents", "été ✓ 雪")
                .AddJson("meta", new { tags = new[] { "sea", "sun" }, days = 12 });

            var (parts, spilled) = await Parts(peer.InvokeAsync(new PeerCall(HttpMethod.Post, "/parts") { Content = form.ToContent() }));

            Assert.Equal(["title", "empty", "accents", "meta"], parts.Select(p => p.Name));
            Assert.Equal("holiday", parts[0].Text);
            Assert.Equal("", parts[1].Text);
            Assert.Equal("été ✓ 雪", parts[2].Text);
            Assert.Equal("application/json", parts[3].ContentType);
            Assert.Equal("""{"tags":["sea","sun"],"days":12}""", parts[3].Text);
            Assert.All(parts, p => Assert.Null(p.FileName));
            Assert.All(parts, p => Assert.True(p.IsInMemory));
            Assert.Equal(0, spilled);
        });
    }

    [Fact]
    public async Task A_form_reaches_data_and_is_written_back_as_json()
    {
        await Serve(async server =>
        {
            using var peer = new Peer(server.BaseAddress.ToString());
            dynamic POST = peer.Post;
            using var form = new FormData().Add("title", "holiday").AddFile("photo", new byte[] { 1, 2, 3 }, "beach.jpg", "image/jpeg");

            Dictionary<string, object?> answer = await POST.data(form: form);

            Assert.Equal("holiday", answer["title"]);
            var photo = (Dictionary<string, object?>)answer["photo"]!;
            Assert.Equal("beach.jpg", photo["fileName"]);
            Assert.Equal("image/jpeg", photo["contentType"]);
            Assert.Equal(3L, Convert.ToInt64(photo["length"]));
        });
    }

    [Fact]
    public async Task Files_from_a_path_a_stream_and_bytes_round_trip()
    {
        var onDisk = RandomNumberGenerator.GetBytes(100_000);   // over the 64 KiB threshold: spilled on the server
        var inStream = RandomNumberGenerator.GetBytes(5_000);
        var inBytes = RandomNumberGenerator.GetBytes(300);
        var path = Path.Combine(_folder, "report.pdf");
        await File.WriteAllBytesAsync(path, onDisk);
        await Serve(async server =>
        {
            using var peer = new Peer(server.BaseAddress.ToString());
            dynamic POST = peer.Post;
            using var stream = new MemoryStream(inStream);
            using var form = new FormData()
                .AddFile("fromPath", path, "application/pdf")
                .AddFile("fromStream", stream, "notes.txt", "text/plain")
                .AddFile("fromBytes", inBytes, "raw.bin")
                .AddFile("renamed", path, fileName: "other name é.pdf");

            var (parts, spilled) = await Parts((Task<object?>)POST.parts(form: form));

            Assert.Equal(new PartReport("fromPath", "report.pdf", "application/pdf", onDisk.Length, false, Sha256(onDisk), null), parts[0]);
            Assert.Equal(new PartReport("fromStream", "notes.txt", "text/plain", inStream.Length, true, Sha256(inStream), null), parts[1]);
            Assert.Equal(new PartReport("fromBytes", "raw.bin", "application/octet-stream", inBytes.Length, true, Sha256(inBytes), null), parts[2]);
            Assert.Equal(new PartReport("renamed", "other name é.pdf", "application/octet-stream", onDisk.Length, false, Sha256(onDisk), null), parts[3]);
            Assert.Equal(2, spilled);                         // the two large parts, in temporary files while the handler ran...
            Assert.Empty(Directory.GetFiles(_spill));         // ...deleted when the request ended
        });
    }

    [Fact]
    public async Task FileInfo_Stream_and_byte_array_values_of_a_dynamic_call_go_as_files()
    {
        var path = Path.Combine(_folder, "a.txt");
        await File.WriteAllTextAsync(path, "from a file");
        await Serve(async server =>
        {
            using var peer = new Peer(server.BaseAddress.ToString());
            dynamic POST = peer.Post;
            using var stream = new MemoryStream("from a stream"u8.ToArray());

            var (parts, _) = await Parts((Task<object?>)POST.parts(title: "x", file: new FileInfo(path), stream: stream, bytes: "from bytes"u8.ToArray(), meta: new { k = 1 }));

            Assert.Equal(["title", "file", "stream", "bytes", "meta"], parts.Select(p => p.Name));
            Assert.Equal("x", parts[0].Text);
            Assert.Equal(("a.txt", Sha256("from a file"u8.ToArray())), (parts[1].FileName, parts[1].Sha256));
            Assert.Equal(("stream", Sha256("from a stream"u8.ToArray())), (parts[2].FileName, parts[2].Sha256));
            Assert.Equal(("bytes", Sha256("from bytes"u8.ToArray())), (parts[3].FileName, parts[3].Sha256));
            Assert.Equal(("application/json", """{"k":1}"""), (parts[4].ContentType, parts[4].Text));
        });
    }

    [Fact]
    public async Task A_20_MB_file_part_round_trips_through_a_temporary_file()
    {
        const int Size = 20 * 1024 * 1024;
        var path = Path.Combine(_folder, "big.bin");
        var sha256 = await WriteRandomFileAsync(path, Size, seed: 20);
        await Serve(async server =>
        {
            using var peer = new Peer(server.BaseAddress.ToString());
            dynamic POST = peer.Post;
            using var form = new FormData().Add("title", "big").AddFile("big", path, "application/octet-stream");

            var (parts, spilled) = await Parts((Task<object?>)POST.parts(form: form, _timeout: LargeUploadBound));

            Assert.Equal("big", parts[0].Text);
            var big = parts[1];
            Assert.Equal(("big.bin", (long)Size, sha256), (big.FileName, big.Length, big.Sha256));
            Assert.False(big.IsInMemory);
            Assert.Equal(1, spilled);
            Assert.Empty(Directory.GetFiles(_spill));
        });
    }

    /// <summary>Writes <paramref name="size"/> pseudo-random bytes (a fixed seed) in 1 MiB pieces; returns their SHA-256.</summary>
    internal static async Task<string> WriteRandomFileAsync(string path, int size, int seed)
    {
        var random = new Random(seed);
        var piece = new byte[1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        for (int written = 0; written < size; written += piece.Length)
        {
            var length = Math.Min(piece.Length, size - written);
            random.NextBytes(piece);
            hash.AppendData(piece, 0, length);
            await file.WriteAsync(piece.AsMemory(0, length));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}

/// <summary>Form uploads on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostFormUploadTests() : FormUploadTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>Form uploads on Kestrel.</summary>
public sealed class KestrelHostFormUploadTests() : FormUploadTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);

/// <summary>
/// Bad multipart bodies over raw sockets: 400 for what is malformed, 413 beyond a limit (this host's limits are small:
/// 3 parts, 1 KiB a part, 8 KiB in all), never a 500, never a handler call, and the server still serves after each.
/// </summary>
public abstract class BadMultipartTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    private const string Boundary = "usrv-boundary-1234";
    private int _handled;

    private Task Serve(Func<TFixture, Task> test) => runAsync(s =>
    {
        s.RouterOptions.Multipart.MaxParts = 3;
        s.RouterOptions.Multipart.MaxPartBytes = 1024;
        s.RouterOptions.Multipart.MaxTotalBytes = 8 * 1024;
        s.Router.Bind("/form", (FormData form) =>
        {
            Interlocked.Increment(ref _handled);
            return (200, form.Parts.Count);
        }, "POST");
    }, test);

    /// <summary>A multipart body of text parts, with or without its closing boundary.</summary>
    private static byte[] Body(IEnumerable<(string Name, string Value)> parts, bool close = true, string boundary = Boundary)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parts) text.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        if (close) text.Append($"--{boundary}--\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Task<RawResponse> Post(TFixture server, string contentType, byte[] body) =>
        RawHttp.ExchangeAsync(server.BaseAddress, $"POST /form HTTP/1.1\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}", body);

    private static string Detail(RawResponse raw)
    {
        Assert.Equal("application/problem+json", raw.Header("Content-Type"));
        return JsonDocument.Parse(raw.Body).RootElement.GetProperty("detail").GetString()!;
    }

    /// <summary>No handler call so far, and a good form is still answered.</summary>
    private async Task AssertNothingHandledAndStillServes(TFixture server)
    {
        Assert.Equal(0, Volatile.Read(ref _handled));
        using var peer = new Peer(server.BaseAddress.ToString());
        using var form = new FormData().Add("a", "1").Add("b", "2");
        var answer = await peer.InvokeAsync(new PeerCall(HttpMethod.Post, "/form") { Content = form.ToContent() });
        Assert.Equal(2L, Convert.ToInt64(answer));
        Assert.Equal(1, Volatile.Read(ref _handled));
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=\"\"")]
    [InlineData("multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 71 characters
    public async Task No_valid_boundary_is_400(string contentType)
    {
        await Serve(async server =>
        {
            var raw = await Post(server, contentType, Body([("a", "1")]));

            Assert.Equal(400, raw.Status);
            Assert.Contains("boundary", Detail(raw));
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_without_its_closing_boundary_is_400()
    {
        await Serve(async server =>
        {
            var body = Body([("a", "1"), ("b", "cut here")], close: false);

            var raw = await Post(server, $"multipart/form-data; boundary={Boundary}", body[..^6]);

            Assert.Equal(400, raw.Status);
            Assert.Contains("malformed multipart body", Detail(raw));
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_part_without_Content_Disposition_is_400()
    {
        await Serve(async server =>
        {
            var body = Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Type: text/plain\r\n\r\nanonymous\r\n--{Boundary}--\r\n");

            var raw = await Post(server, $"multipart/form-data; boundary={Boundary}", body);

            Assert.Equal(400, raw.Status);
            Assert.Contains("Content-Disposition", Detail(raw));
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_cut_short_by_a_client_that_hangs_up_is_400_or_a_closed_connection_never_a_500()
    {
        await Serve(async server =>
        {
            var body = Body([("a", "1"), ("b", new string('x', 500))]);
            using var tcp = new System.Net.Sockets.TcpClient();
            using var timeout = new CancellationTokenSource(RawHttp.DefaultTimeout);
            await tcp.ConnectAsync(server.BaseAddress.Host, server.Port, timeout.Token);
            var stream = tcp.GetStream();

            // Declares the whole body, sends half of it, and closes its sending side.
            await stream.WriteAsync(RawHttp.Head(server.BaseAddress, $"POST /form HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {body.Length}"), timeout.Token);
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2), timeout.Token);
            tcp.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            var received = new MemoryStream();
            try { await stream.CopyToAsync(received, timeout.Token); }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException) { /* reset: closed */ }
            var raw = new RawResponse(received.ToArray(), Closed: !timeout.IsCancellationRequested);

            Assert.True(raw.Closed, raw.ToString());
            Assert.True(raw.Status is null or 400, raw.ToString());
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_part_over_the_part_limit_is_413()
    {
        await Serve(async server =>
        {
            var raw = await Post(server, $"multipart/form-data; boundary={Boundary}", Body([("big", new string('x', 2000))]));

            Assert.Equal(413, raw.Status);
            Assert.Contains("1024", Detail(raw));
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_body_declared_over_the_total_limit_is_413_before_it_is_read()
    {
        await Serve(async server =>
        {
            var body = Body([("a", new string('x', 900)), ("b", new string('y', 900))]);
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress,
                $"POST /form HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {9000 + body.Length}", body);

            Assert.Equal(413, raw.Status);
            Assert.Contains("8192", Detail(raw));
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task A_chunked_body_growing_over_the_total_limit_is_413()
    {
        await Serve(async server =>
        {
            // Three parts under the part limit, but more than 8 KiB in all with a long preamble; no Content-Length.
            var body = Encoding.UTF8.GetBytes(new string('p', 9000) + "\r\n").Concat(Body([("a", "1")])).ToArray();
            var chunked = new MemoryStream();
            foreach (var piece in body.Chunk(1000))
            {
                chunked.Write(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
                chunked.Write(piece);
                chunked.Write("\r\n"u8);
            }
            chunked.Write("0\r\n\r\n"u8);

            var raw = await RawHttp.ExchangeAsync(server.BaseAddress,
                $"POST /form HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nTransfer-Encoding: chunked", chunked.ToArray());

            Assert.Equal(413, raw.Status);
            Assert.Contains("8192", Detail(raw));
            await AssertNothingHandledAndStillServes(server);
        });
    }

    [Fact]
    public async Task More_parts_than_the_limit_is_413()
    {
        await Serve(async server =>
        {
            var raw = await Post(server, $"multipart/form-data; boundary={Boundary}", Body(Enumerable.Range(1, 5).Select(i => ($"p{i}", "v"))));

            Assert.Equal(413, raw.Status);
            Assert.Contains("more than 3 parts", Detail(raw));
            await AssertNothingHandledAndStillServes(server);
        });
    }
}

/// <summary>Bad multipart bodies on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostBadMultipartTests() : BadMultipartTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>Bad multipart bodies on Kestrel.</summary>
public sealed class KestrelHostBadMultipartTests() : BadMultipartTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
