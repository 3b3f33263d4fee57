using System.Net;
using System.Net.Http.Headers;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>A folder of files for one test, with a secret beside it (outside) and links that point at it.</summary>
public sealed class StaticFolder : IDisposable
{
    public StaticFolder()
    {
        Base = Directory.CreateTempSubdirectory("usrv-static-").FullName;
        Root = Directory.CreateDirectory(Path.Combine(Base, "www")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(Base, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret.txt"), Secret);
        File.WriteAllText(Path.Combine(Base, "secret.txt"), Secret);
        File.WriteAllText(Path.Combine(Root, "hello.txt"), "hello, static world");
        File.WriteAllText(Path.Combine(Root, "site.css"), "body { color: red }");
        File.WriteAllText(Path.Combine(Root, "data.json"), "{\"a\":1}");
        File.WriteAllBytes(Path.Combine(Root, "logo.png"), [0x89, (byte)'P', (byte)'N', (byte)'G']);
        File.WriteAllText(Path.Combine(Root, "notes.unknownext"), "no type");
        File.WriteAllText(Path.Combine(Root, ".env"), Secret);
        File.WriteAllText(Path.Combine(Root, "digits.txt"), "0123456789");
        File.WriteAllText(Path.Combine(Root, "empty.txt"), "");
        var docs = Directory.CreateDirectory(Path.Combine(Root, "docs")).FullName;
        File.WriteAllText(Path.Combine(docs, "index.html"), "<h1>docs</h1>");
        Directory.CreateDirectory(Path.Combine(Root, "bare"));
        File.CreateSymbolicLink(Path.Combine(Root, "leak.txt"), Path.Combine(outside, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(Root, "relative-leak.txt"), "../outside/secret.txt");
        Directory.CreateSymbolicLink(Path.Combine(Root, "escape"), outside);
        File.CreateSymbolicLink(Path.Combine(Root, "inside-link.txt"), "hello.txt"); // a link that stays inside is served
        File.CreateSymbolicLink(Path.Combine(Root, "loop-a.txt"), "loop-b.txt");    // links that loop: 404, no hang
        File.CreateSymbolicLink(Path.Combine(Root, "loop-b.txt"), "loop-a.txt");
        Directory.CreateSymbolicLink(Path.Combine(Root, "up"), "..");              // a folder link to the parent
        Modified = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        File.SetLastWriteTimeUtc(Path.Combine(Root, "hello.txt"), Modified.UtcDateTime);
    }

    public const string Secret = "TOP-SECRET-do-not-serve";

    public string Base { get; }

    public string Root { get; }

    public DateTimeOffset Modified { get; }

    public void Dispose() => Directory.Delete(Base, recursive: true);
}

/// <summary>
/// Static files (<see cref="Router.MapStaticFiles"/>; README, Static files) over real sockets, the same on every host kind.
/// </summary>
public abstract class StaticFilesOnHostsTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    private Task Serve(StaticFolder folder, Func<TFixture, Task> test, string prefix = "/files") =>
        runAsync(s =>
        {
            s.BindDemo = false;
            s.Router.Bind("/files/bound", () => (200, "binding"));
            s.Router.Bind("/files/posted", () => (200, "posted"), "POST");
            s.Router.MapStaticFiles(folder.Root, prefix);
        }, test);

    [Theory]
    [InlineData("/files/hello.txt", "text/plain", "hello, static world")]
    [InlineData("/files/site.css", "text/css", "body { color: red }")]
    [InlineData("/files/data.json", "application/json", "{\"a\":1}")]
    [InlineData("/files/docs", "text/html", "<h1>docs</h1>")]
    [InlineData("/files/docs/", "text/html", "<h1>docs</h1>")]
    [InlineData("/files/inside-link.txt", "text/plain", "hello, static world")]
    public async Task Files_are_served_with_their_content_type_and_length(string path, string type, string body)
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            using var response = await server.Client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
            Assert.NotNull(response.Headers.ETag);
            Assert.NotNull(response.Content.Headers.LastModified);
        });
    }

    [Fact]
    public async Task A_png_keeps_its_bytes_and_head_sends_the_length_without_a_body()
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            using var png = await server.Client.GetAsync("/files/logo.png");
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], await png.Content.ReadAsByteArrayAsync());

            var head = await RawHttp.ExchangeAsync(server.BaseAddress, "HEAD /files/hello.txt HTTP/1.1");
            Assert.Equal(200, head.Status);
            Assert.Equal("19", head.Header("Content-Length"));
            Assert.Equal("", head.Body);
        });
    }

    [Fact]
    public async Task Bindings_come_first_and_a_path_bound_for_other_methods_stays_405()
    {
        using var folder = new StaticFolder();
        File.WriteAllText(Path.Combine(folder.Root, "bound"), "file");
        await Serve(folder, async server =>
        {
            Assert.Equal("\"binding\"", await server.Client.GetStringAsync("/files/bound"));
            using var posted = await server.Client.GetAsync("/files/posted");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
            using var post = await server.Client.PostAsync("/files/hello.txt", null);
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        });
    }

    [Theory]
    [InlineData("/files/missing.txt")]
    [InlineData("/files/notes.unknownext")] // unknown type: refused, as StaticFileMiddleware
    [InlineData("/files/.env")]             // dot files: refused, as PhysicalFileProvider
    [InlineData("/files/bare")]             // a folder without index.html
    [InlineData("/hello.txt")]              // outside the prefix
    public async Task What_is_not_a_servable_file_is_404(string path)
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            using var response = await server.Client.GetAsync(path);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(StaticFolder.Secret, await response.Content.ReadAsStringAsync());
        });
    }

    [Theory]
    [InlineData("/files/../secret.txt", 400)]
    [InlineData("/files/../outside/secret.txt", 400)]
    [InlineData("/files/./hello.txt", 400)]
    [InlineData("/files/%2e%2e/secret.txt", 400)]
    [InlineData("/files/%2E%2E/outside/secret.txt", 400)]
    [InlineData("/files/docs/%2e%2e/%2e%2e/secret.txt", 400)]
    [InlineData("/files/..%2fsecret.txt", 400)]
    [InlineData("/files/%2e%2e%2fsecret.txt", 400)]
    [InlineData("/files/..%5csecret.txt", 400)]
    [InlineData("/files/%5c..%5csecret.txt", 400)]
    [InlineData("/files/%2fetc%2fpasswd", 400)]
    [InlineData("/files/hello.txt%00.png", 400)]
    [InlineData("/files//etc/passwd", 400)]
    [InlineData("/files/leak.txt", 404)]           // a link to a file outside
    [InlineData("/files/relative-leak.txt", 404)]  // the same, relative
    [InlineData("/files/escape/secret.txt", 404)]  // a link to a folder outside
    [InlineData("/files/up/secret.txt", 404)]      // a link to the folder's parent
    [InlineData("/files/up/www/hello.txt", 200)]   // ... and back inside: its real path is under the folder
    [InlineData("/files/loop-a.txt", 404)]
    public async Task No_path_outside_the_folder_is_ever_served(string path, int status)
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            var answer = await RawHttp.ExchangeAsync(server.BaseAddress, $"GET {path} HTTP/1.1");

            Assert.Equal(status, answer.Status);
            Assert.DoesNotContain(StaticFolder.Secret, answer.Text);
        });
    }

    [Theory]
    [InlineData("/files/a\\..\\..\\secret.txt")]
    [InlineData("/files/%00")]
    public async Task A_backslash_or_a_NUL_sent_raw_or_encoded_is_refused(string path)
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            var answer = await RawHttp.ExchangeAsync(server.BaseAddress, $"GET {path} HTTP/1.1");

            Assert.Equal(400, answer.Status);
            Assert.DoesNotContain(StaticFolder.Secret, answer.Text);
        });
    }

    [Fact]
    public async Task A_folder_at_the_root_answers_index_html_for_slash_where_nothing_is_bound()
    {
        using var folder = new StaticFolder();
        File.WriteAllText(Path.Combine(folder.Root, "index.html"), "<h1>home</h1>");
        await Serve(folder, async server =>
        {
            Assert.Equal("<h1>home</h1>", await server.Client.GetStringAsync("/"));
            Assert.Equal("hello, static world", await server.Client.GetStringAsync("/hello.txt"));
            Assert.Equal("\"binding\"", await server.Client.GetStringAsync("/files/bound"));
        }, prefix: "/");
    }

    [Fact]
    public async Task A_file_is_304_by_etag_and_by_date()
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            using var first = await server.Client.GetAsync("/files/hello.txt");
            var etag = first.Headers.ETag!;
            Assert.Equal(folder.Modified, first.Content.Headers.LastModified);

            using var byTag = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt") { Headers = { IfNoneMatch = { etag } } };
            using var tagged = await server.Client.SendAsync(byTag);
            Assert.Equal(HttpStatusCode.NotModified, tagged.StatusCode);
            Assert.Equal(etag, tagged.Headers.ETag);
            Assert.Empty(await tagged.Content.ReadAsByteArrayAsync());

            using var byDate = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt") { Headers = { IfModifiedSince = folder.Modified } };
            using var dated = await server.Client.SendAsync(byDate);
            Assert.Equal(HttpStatusCode.NotModified, dated.StatusCode);

            using var older = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt")
            {
                Headers = { IfModifiedSince = folder.Modified.AddSeconds(-1) },
            };
            using var changed = await server.Client.SendAsync(older);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

            File.AppendAllText(Path.Combine(folder.Root, "hello.txt"), "!");
            using var afterChange = new HttpRequestMessage(HttpMethod.Get, "/files/hello.txt") { Headers = { IfNoneMatch = { etag } } };
            using var fresh = await server.Client.SendAsync(afterChange);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Equal("hello, static world!", await fresh.Content.ReadAsStringAsync());
        });
    }

    [Theory]
    [InlineData("bytes=2-5", "bytes 2-5/10", "2345")]
    [InlineData("bytes=7-", "bytes 7-9/10", "789")]
    [InlineData("bytes=-3", "bytes 7-9/10", "789")]
    [InlineData("bytes=8-100", "bytes 8-9/10", "89")]
    [InlineData("bytes=-30", "bytes 0-9/10", "0123456789")]
    public async Task One_range_is_206_with_content_range(string range, string contentRange, string body)
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            var answer = await RawHttp.ExchangeAsync(server.BaseAddress, $"GET /files/digits.txt HTTP/1.1\r\nRange: {range}");

            Assert.Equal(206, answer.Status);
            Assert.Equal(contentRange, answer.Header("Content-Range"));
            Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Header("Content-Length"));
            Assert.Equal(body, answer.Body);
        });
    }

    [Theory]
    [InlineData("/files/digits.txt", "bytes=10-", "bytes */10")]
    [InlineData("/files/digits.txt", "bytes=20-30", "bytes */10")]
    [InlineData("/files/digits.txt", "bytes=-0", "bytes */10")]
    [InlineData("/files/empty.txt", "bytes=0-", "bytes */0")]
    public async Task A_range_past_the_end_is_416(string path, string range, string contentRange)
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            var answer = await RawHttp.ExchangeAsync(server.BaseAddress, $"GET {path} HTTP/1.1\r\nRange: {range}");

            Assert.Equal(416, answer.Status);
            Assert.Equal(contentRange, answer.Header("Content-Range"));
        });
    }

    [Theory]
    [InlineData("GET", "Range: bytes=0-1,4-5")]            // several ranges: the whole file
    [InlineData("GET", "Range: items=0-1")]                // an unknown unit
    [InlineData("GET", "Range: bytes=0-1\r\nIf-Range: \"stale\"")] // If-Range that does not match
    [InlineData("HEAD", "Range: bytes=0-1")]               // HEAD ignores Range
    public async Task Other_ranges_get_the_whole_file(string method, string headers)
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            var answer = await RawHttp.ExchangeAsync(server.BaseAddress, $"{method} /files/digits.txt HTTP/1.1\r\n{headers}");

            Assert.Equal(200, answer.Status);
            Assert.Equal("10", answer.Header("Content-Length"));
            Assert.Equal(method == "GET" ? "0123456789" : "", answer.Body);
        });
    }

    [Fact]
    public async Task If_range_with_the_current_etag_gives_the_range()
    {
        using var folder = new StaticFolder();
        await Serve(folder, async server =>
        {
            using var first = await server.Client.GetAsync("/files/digits.txt");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/files/digits.txt")
            {
                Headers = { Range = new RangeHeaderValue(0, 1), IfRange = new RangeConditionHeaderValue(first.Headers.ETag!) },
            };
            using var ranged = await server.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
            Assert.Equal("01", await ranged.Content.ReadAsStringAsync());
        });
    }
}

public sealed class ListenerHostStaticFilesTests() : StaticFilesOnHostsTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

public sealed class KestrelHostStaticFilesTests() : StaticFilesOnHostsTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
