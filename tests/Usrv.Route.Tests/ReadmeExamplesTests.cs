using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>The README's examples, as written there.</summary>
public class ReadmeExamplesTests
{
    public record Order(string Item, int Quantity);

    public record Tick(int N);

    public static class Feeds
    {
        [Bind("/numbers")]
        public static async IAsyncEnumerable<int> Numbers(int count, [EnumeratorCancellation] CancellationToken aborted = default)
        {
            for (int i = 0; i < count; i++)
            {
                await Task.Delay(10, aborted);      // the client left: cancelled, and the enumerator disposed
                yield return i;
            }
        }

        [Bind("/ticks")]
        public static async IAsyncEnumerable<SseItem<Tick>> Ticks([EnumeratorCancellation] CancellationToken aborted = default)
        {
            for (int n = 1; n <= 3; n++)
            {
                await Task.Delay(10, aborted);
                yield return new SseItem<Tick>(new Tick(n), "tick") { EventId = $"{n}" };
            }
        }

        [Bind("/export")]
        public static Reply Export() => Reply.JsonArray(206, Feeds.Numbers(1000)).WithHeader("X-Partial", "yes");
    }

    public static class Api
    {
        [Bind("/test")]
        public static (int, object?, object?) Test(object? a, object? b) => (200, a, b);

        [Bind("/api/endpoint", "GET", "POST")]
        public static (int, string?, int) Endpoint(string? a, int b = 2) => (200, a, b);

        [Bind("/typed")]
        public static (int, int, bool) Typed(int count, bool flag = false) => (200, count * 2, flag);

        [Bind("/<int:b>/<a>")]
        public static (int, object?, object?) Pair(object? a, object? b) => (200, a, b);

        [Bind("/vargs")]
        public static (int, object?, int, int, object?[]) Vargs(object? a, int b = 1, int c = 0, params object?[] args) => (200, a, b, c, args);

        [Bind("/kwargs", "GET", "POST")]
        public static (int, object?, object?, int, IDictionary<string, object?>?) Kwargs(
            object? name, object? a, int b = 2, IDictionary<string, object?>? kwargs = null) => (200, name, a, b, kwargs);

        [Bind("/order", "POST")]
        public static (int, string, int) PlaceOrder(Order order) => (200, order.Item, order.Quantity);
    }

    private static Router CreateRouter()
    {
        var router = new Router().BindType(typeof(Api));
        router.Bind("/hello/<name>", (string name) => (200, $"hello {name}"));
        router.Bind("/files/<path:rest>", (string rest) => (200, rest));
        return router;
    }

    private readonly Router _router = CreateRouter();

    [Fact]
    public async Task Working_with_Python_usrv()
    {
        var router = new Router(new RouterOptions { Usrv04Compatible = true }).BindType(typeof(Api));
        router.Bind("/custom", (Dictionary<string, string> headers) => (200, headers.ContainsKey("X-Custom-Header"), headers["x-custom-header"]));
        router.Bind("/throws", new Func<int>(() => throw new InvalidOperationException("not for clients")));

        var missing = await router.Get("/nowhere");
        Assert.Equal(404, missing.Status);
        Assert.Equal("""{"code":404,"message":"Not Found","explain":"no binding matches GET /nowhere"}""", missing.BodyText);
        var thrown = await router.Get("/throws");
        Assert.Equal(500, thrown.Status);
        Assert.DoesNotContain("not for clients", thrown.BodyText);
        Assert.Equal("""[true,"v"]""", (await router.Send("GET", "/custom", headers: ("X-Custom-Header", "v"))).BodyText);
        Assert.Equal("""["2","6"]""", (await router.Get("/5/test?a=2&b=6")).BodyText); // the query value overrides the path value
        var (body, contentType) = await new FormData().Add("title", "t").EncodeAsync();
        Assert.Contains("Content-Disposition: form-data; name=\"title\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Matches("boundary=[0-9a-f]{32}$", contentType);
    }

    [Fact]
    public async Task Fast_and_simple()
    {
        Assert.Equal("[\"Paris\",\"12\"]", (await _router.Get("/test?b=12&a=Paris")).BodyText);
        Assert.Equal("[\"x\",2]", (await _router.Send("POST", "/api/endpoint?a=x")).BodyText);
        Assert.Equal("\"hello bob\"", (await _router.Get("/hello/bob")).BodyText);
    }

    [Fact]
    public async Task OpenApi()
    {
        var router = new Router(new RouterOptions { OpenApiTitle = "shop", OpenApiVersion = "1.2.0" }).BindType(typeof(Api));
        var doc = (await router.Get("/openapi.json")).Json();
        Assert.Equal("shop", doc.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("1.2.0", doc.GetProperty("info").GetProperty("version").GetString());
        var pair = doc.GetProperty("paths").GetProperty("/{b}/{a}").GetProperty("get");
        Assert.Equal("Api.Pair", pair.GetProperty("operationId").GetString());
        var b = pair.GetProperty("parameters")[0];
        Assert.Equal(("b", "path", true), (b.GetProperty("name").GetString(), b.GetProperty("in").GetString(), b.GetProperty("required").GetBoolean()));
        Assert.Equal(("integer", "int32"), (b.GetProperty("schema").GetProperty("type").GetString(), b.GetProperty("schema").GetProperty("format").GetString()));
        Microsoft.OpenApi.OpenApiDocument document = router.DescribeOpenApi();
        Assert.Equal("Api.Pair", document.Paths["/{b}/{a}"].Operations![HttpMethod.Get].OperationId);
        var off = new Router(new RouterOptions { PublishOpenApi = false });
        Assert.Equal(404, (await off.Get("/openapi.json")).Status);
    }

    [Fact]
    public async Task Values_from_the_query()
    {
        Assert.Equal("[42,true]", (await _router.Get("/typed?count=21&flag=true")).BodyText);
        Assert.Equal("parameter 'count': 'many' is not a valid int", (await _router.Get("/typed?count=many")).Detail());
        Assert.Equal("missing required parameter 'count' (int)", (await _router.Get("/typed")).Detail());
    }

    [Fact]
    public async Task Values_from_the_path()
    {
        Assert.Equal("[\"test\",5]", (await _router.Get("/5/test")).BodyText);
        Assert.Equal(404, (await _router.Get("/abc/test")).Status);
        Assert.Equal("[\"2\",\"6\"]", (await _router.Get("/5/test?a=2&b=6")).BodyText);
        Assert.Equal(200, (await _router.Get("/test/")).Status);
        Assert.Equal(400, (await _router.Get("/te%zz")).Status);
        Assert.Equal("\"docs/a.txt\"", (await _router.Get("/files/docs/a.txt")).BodyText);
        var traversal = await _router.Get("/files/%2e%2e/etc/passwd");
        Assert.Equal(400, traversal.Status);
        Assert.StartsWith("parameter 'rest': the path '../etc/passwd' has a dot-segment; ", traversal.Detail());
        Assert.Equal("\"hello ..\"", (await _router.Get("/hello/..")).BodyText);
    }

    [Fact]
    public async Task Catching_unexpected_values()
    {
        var vargs = (await _router.Send("GET", "/vargs?a=x&unexpected=there", headers: ("Host", "127.0.0.1:5000"))).Json();
        Assert.Equal("x", vargs[0].GetString());
        Assert.Equal(1, vargs[1].GetInt32());
        Assert.Equal(0, vargs[2].GetInt32());
        Assert.Equal("there", vargs[3][0].GetString());
        Assert.Equal("GET", vargs[3][1].GetString());
        Assert.Equal("127.0.0.1:5000", vargs[3][2].GetProperty("host").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, vargs[3][3].ValueKind);

        var kwargs = (await _router.Get("/kwargs?name=n&a=x&unexpected=there")).Json();
        Assert.Equal("n", kwargs[0].GetString());
        Assert.Equal("x", kwargs[1].GetString());
        Assert.Equal(2, kwargs[2].GetInt32());
        Assert.Equal(["unexpected", "method", "headers", "data"], kwargs[3].EnumerateObject().Select(p => p.Name));
        Assert.Equal("there", kwargs[3].GetProperty("unexpected").GetString());

        var posted = (await _router.Send("POST", "/kwargs?name=n", "{\"k\":1}", "application/json")).Json();
        Assert.Equal("{\"k\":1}", posted[3].GetProperty("data").GetString());

        Assert.Equal("[\"tea\",2]", (await _router.Send("POST", "/order", "{\"item\":\"tea\",\"quantity\":2}", "application/json")).BodyText);
    }

    public interface IGreeter
    {
        string Greet(string name);
    }

    public sealed class Greeter : IGreeter
    {
        public string Greet(string name) => $"hello {name}";
    }

    // README, "Services and parameter sources of your own": an IPAddress parameter gets the caller's address.
    private sealed class ClientAddressSource : IParameterSource
    {
        public ParameterBinder? TryCreate(EndpointParameter parameter) =>
            parameter.Type == typeof(IPAddress)
                ? ParameterBinder.From(context => IPEndPoint.Parse(context.Request.RemoteAddress).Address)
                : null;
    }

    [Fact]
    public async Task Services_and_parameter_sources_of_your_own()
    {
        var services = new ServiceCollection().AddSingleton<IGreeter, Greeter>().BuildServiceProvider();
        var router = new Router(new RouterOptions { Services = services });
        router.Bind("/greet/<name>", (string name, IGreeter greeter) => (200, greeter.Greet(name)));
        Assert.Equal("\"hello bob\"", (await router.Get("/greet/bob")).BodyText);

        var sourced = new Router(new RouterOptions { ParameterSources = { new ClientAddressSource() } });
        sourced.Bind("/where", (IPAddress caller) => (200, caller.ToString()));
        var response = await sourced.HandleAsync(new UsrvRequest("GET", "/where") { RemoteAddress = "127.0.0.1:52579" });
        Assert.Equal("\"127.0.0.1\"", response.BodyText);
    }

    public sealed class ApiKeyStage : IUsrvStage
    {
        public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next) =>
            request.Headers["X-Api-Key"] == "let-me-in"
                ? next(request)
                : throw new ProblemException(401, "send the API key in X-Api-Key", headers: [new("WWW-Authenticate", "ApiKey")]);
    }

    public static class Reports
    {
        [Bind("/report"), UseStage(typeof(ApiKeyStage))]
        public static (int, string) Report() => (200, "secret report");

        [Bind("/pay")]
        public static int Pay() => throw new ProblemException(402, "top up your account",
            title: "Payment needed", type: "https://example.org/problems/payment", headers: [new("Retry-After", "60")]);
    }

    [Fact]
    public async Task Stages_hooks_before_and_after()
    {
        const string apiKey = "let-me-in";
        var router = new Router().BindType(typeof(Api)).BindType(typeof(Reports));
        router.Bind("/orders", (string id) => (201, id), new BindOptions { Methods = ["POST"], Stages = { new ApiKeyStage() } });
        router.Use(async (request, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var response = await next(request);
            return response.WithHeader("Server-Timing", $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}");
        });
        var keyed = new Router().BindType(typeof(Api));
        keyed.Use((request, next) => request.Headers["X-Api-Key"] == apiKey
            ? next(request)
            : throw new ProblemException(401, "send the API key in X-Api-Key", headers: [new("WWW-Authenticate", "ApiKey")]));
        keyed.Use(async (request, next) =>
        {
            var response = await next(request);
            return response.Status != 200 ? response
                : new UsrvResponse(200, response.ContentType, Encoding.UTF8.GetBytes($$"""{"data":{{response.BodyText}}}"""));
        });

        var timed = await router.Get("/test?b=12&a=Paris");
        Assert.StartsWith("app;dur=", timed.Headers.Single(h => h.Key == "Server-Timing").Value);
        Assert.Equal(401, (await router.Get("/report")).Status);
        Assert.Equal("\"secret report\"", (await router.Send("GET", "/report", headers: ("X-Api-Key", apiKey))).BodyText);
        Assert.Equal(401, (await router.Send("POST", "/orders?id=7")).Status);
        Assert.Equal(201, (await router.Send("POST", "/orders?id=7", headers: ("X-Api-Key", apiKey))).Status);

        var refused = await keyed.Get("/test?b=12&a=Paris");
        Assert.Equal(401, refused.Status);
        Assert.Equal("ApiKey", refused.Headers.Single(h => h.Key == "WWW-Authenticate").Value);
        Assert.Equal("""{"data":["Paris","12"]}""", (await keyed.Send("GET", "/test?b=12&a=Paris", headers: ("X-Api-Key", apiKey))).BodyText);
    }

    [Fact]
    public async Task Problems()
    {
        var response = await new Router().BindType(typeof(Reports)).Get("/pay");

        Assert.Equal(402, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("Payment needed", response.Json().GetProperty("title").GetString());
        Assert.Equal("https://example.org/problems/payment", response.Json().GetProperty("type").GetString());
        Assert.Equal("top up your account", response.Detail());
        Assert.Equal("60", response.Headers.Single(h => h.Key == "Retry-After").Value);
    }

    private sealed record Report(string Title, DateTimeOffset Changed);

    [Fact]
    public async Task Conditional_requests()
    {
        var report = new Report("sales", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var router = new Router();
        router.Bind("/report", () => Reply.Json(200, report)
            .WithETag("\"v7\"").WithLastModified(report.Changed).WithHeader("Cache-Control", "max-age=60"));

        var ok = await router.Get("/report");
        Assert.Equal(200, ok.Status);
        Assert.Equal("\"v7\"", ok.Headers.Single(h => h.Key == "ETag").Value);
        Assert.Equal("Sun, 01 Mar 2026 12:00:00 GMT", ok.Headers.Single(h => h.Key == "Last-Modified").Value);
        var notModified = await router.Send("GET", "/report", headers: ("If-None-Match", "\"v7\""));
        Assert.Equal(304, notModified.Status);
        Assert.True(notModified.Body.IsEmpty);
        Assert.Null(notModified.ContentType);
        Assert.Equal("max-age=60", notModified.Headers.Single(h => h.Key == "Cache-Control").Value);
        Assert.Equal(304, (await router.Send("GET", "/report", headers: ("If-Modified-Since", "Sun, 01 Mar 2026 12:00:00 GMT"))).Status);
        Assert.Throws<ArgumentException>(() => Reply.Text(200, "x").WithETag("v7")); // unquoted

        var computing = new Router(new RouterOptions { ComputeETags = true });
        computing.Bind("/count", () => (200, new { version = 1 }));
        var counted = await computing.Get("/count");
        var etag = counted.Headers.Single(h => h.Key == "ETag").Value;
        Assert.Equal(24, etag.Length);
        Assert.Equal(304, (await computing.Send("GET", "/count", headers: ("If-None-Match", etag))).Status);
        Assert.Equal(200, (await computing.Send("GET", "/count", headers: ("If-None-Match", "\"other\""))).Status);
    }

    [Fact]
    public async Task Static_files()
    {
        var folder = Directory.CreateTempSubdirectory("usrv-readme-").FullName;
        try
        {
            var wwwroot = Directory.CreateDirectory(Path.Combine(folder, "wwwroot")).FullName;
            var downloads = Directory.CreateDirectory(Path.Combine(folder, "downloads")).FullName;
            File.WriteAllText(Path.Combine(wwwroot, "site.css"), "body {}");
            File.WriteAllText(Path.Combine(wwwroot, "index.html"), "<h1>home</h1>");
            File.WriteAllBytes(Path.Combine(downloads, "tool.zip"), [1, 2, 3]);
            var router = new Router();
            router.MapStaticFiles(wwwroot)
                  .MapStaticFiles(downloads, "/dl");

            var css = await router.Get("/site.css");
            Assert.Equal(200, css.Status);
            Assert.Equal("text/css", css.ContentType);
            using (var body = css.BodyStream!)
            using (var reader = new StreamReader(body)) Assert.Equal("body {}", await reader.ReadToEndAsync());
            var home = await router.Get("/");
            Assert.Equal("text/html", home.ContentType);
            home.BodyStream!.Dispose();
            var zip = await router.Get("/dl/tool.zip");
            Assert.Equal("application/x-zip-compressed", zip.ContentType);
            zip.BodyStream!.Dispose();
            Assert.Equal(400, (await router.Get("/dl/%2e%2e/wwwroot/site.css")).Status);
            Assert.Equal(404, (await router.Get("/dl/missing.zip")).Status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Streaming_replies()
    {
        var router = new Router().BindType(typeof(Feeds));
        var numbers = await router.Get("/numbers?count=3");
        Assert.Equal("application/json; charset=utf-8", numbers.ContentType);
        Assert.NotNull(numbers.BodyWriter);
        Assert.Equal("[0,1,2]", Encoding.UTF8.GetString((await numbers.ReadBodyAsync()).Span).Replace("\n", ""));

        var ticks = await router.Get("/ticks");
        Assert.Equal("text/event-stream", ticks.ContentType);
        Assert.StartsWith("event: tick\ndata: {\"n\":1}\nid: 1\n\n", Encoding.UTF8.GetString((await ticks.ReadBodyAsync()).Span));

        var export = await router.Get("/export");
        Assert.Equal(206, export.Status);
        Assert.Equal("yes", export.Headers.Single(h => h.Key == "X-Partial").Value);
        Assert.Equal(1000, System.Text.Json.JsonSerializer.Deserialize<int[]>((await export.ReadBodyAsync()).Span)!.Length);
    }
}
