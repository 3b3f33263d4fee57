using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Usrv.Host.AspNetCore;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// usrv bindings added to an existing ASP.NET Core application with <c>app.MapUsrv(router)</c> and
/// <c>app.MapUsrv("/usrv", router)</c>, as the README's chapter "Behind ASP.NET Core (Kestrel)" shows: the mapping
/// code in each test is the README's, with usrv's demo bindings for <c>Api</c>.
/// </summary>
public sealed class MapUsrvTests
{
    /// <summary>
    /// An application like the README's (<c>WebApplication.Create(args)</c>, here the slim builder), on Kestrel on
    /// 127.0.0.1 with a port the OS picks, mapped by <paramref name="map"/>, started; and a client for it.
    /// </summary>
    private sealed class App : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private App(WebApplication app)
        {
            _app = app;
            Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = UsrvHostFixture.RequestTimeout };
        }

        public HttpClient Client { get; }

        public static async Task<App> StartAsync(Action<WebApplication> map, Action<ILoggingBuilder>? logging = null,
            Action<IServiceCollection>? services = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0"); // port 0: Kestrel binds a free port, app.Urls gives it after the start
            builder.Logging.ClearProviders();
            logging?.Invoke(builder.Logging);
            services?.Invoke(builder.Services);
            var app = builder.Build();
            map(app);
            await app.StartAsync();
            return new App(app);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, string? MediaType, string Body)> Get(HttpClient client, string target, string method = "GET")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static string Detail(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString()!;

    [Fact]
    public async Task MapUsrv_serves_every_path_the_app_does_not_take()
    {
        await using var server = await App.StartAsync(app =>
        {
            app.MapGet("/health", () => "ok");                                 // the app's own endpoints win
            app.MapUsrv(new Router().BindType(typeof(DemoBindings)));          // every other path goes to usrv
        });

        Assert.Equal((HttpStatusCode.OK, "text/plain", "ok"), await Get(server.Client, "/health"));
        Assert.Equal((HttpStatusCode.OK, "application/json", """["Paris","12"]"""), await Get(server.Client, "/test?b=12&a=Paris"));
        Assert.Equal((HttpStatusCode.OK, "application/json", """["test",5]"""), await Get(server.Client, "/5/test"));
        Assert.Equal(HttpStatusCode.OK, (await Get(server.Client, "/", "HEAD")).Status);

        // Paths and methods nobody binds get usrv's problems, not the app's empty 404 or 405.
        var missing = await Get(server.Client, "/nope");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (missing.Status, missing.MediaType));
        Assert.Equal("no binding matches GET /nope", Detail(missing.Body));
        using var delete = await server.Client.DeleteAsync("/test");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Equal(["GET", "HEAD"], delete.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task A_middleware_that_puts_its_own_stream_under_the_response_gets_the_whole_body()
    {
        // usrv writes small bodies into the response pipe and completes the response (one write on Kestrel): under an
        // application's middleware that swaps Response.Body, as old-style buffering or rewriting middleware does, the
        // body must still reach that stream before the middleware reads it.
        await using var server = await App.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                var original = context.Response.Body;
                using var buffer = new MemoryStream();
                context.Response.Body = buffer;
                await next(context);
                context.Response.Body = original;
                context.Response.Headers["X-Buffered-Bytes"] = buffer.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                buffer.Position = 0;
                await buffer.CopyToAsync(original);
            });
            app.MapUsrv(new Router().BindType(typeof(DemoBindings)));
        });

        using var response = await server.Client.GetAsync("/test?b=12&a=Paris");
        Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
        Assert.Equal("14", response.Headers.GetValues("X-Buffered-Bytes").Single());
    }

    [Fact]
    public async Task MapUsrv_with_a_prefix_serves_only_under_it_and_strips_it_before_routing()
    {
        var router = new Router().BindType(typeof(DemoBindings));
        await using var server = await App.StartAsync(app =>
        {
            app.MapGet("/health", () => "ok");
            app.MapUsrv("/usrv", router);                                      // only /usrv/..., prefix stripped before routing
        });

        Assert.Equal((HttpStatusCode.OK, "text/plain", "ok"), await Get(server.Client, "/health"));
        Assert.Equal((HttpStatusCode.OK, "application/json", """["Paris","12"]"""), await Get(server.Client, "/usrv/test?b=12&a=Paris"));
        Assert.Equal((HttpStatusCode.OK, "application/json", """["test",5]"""), await Get(server.Client, "/usrv/5/test"));

        // Outside the prefix: the app's own 404 (no body), not usrv's problem.
        Assert.Equal((HttpStatusCode.NotFound, null, ""), await Get(server.Client, "/test?b=12&a=Paris"));
        Assert.Equal((HttpStatusCode.NotFound, null, ""), await Get(server.Client, "/usrvtest"));
        // Under it, usrv routes the path without the prefix.
        var missing = await Get(server.Client, "/usrv/nope");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (missing.Status, missing.MediaType));
        Assert.Equal("no binding matches GET /nope", Detail(missing.Body));
    }

    [Theory]
    [InlineData("/USRV/test?b=12&a=Paris")]    // ASP.NET Core routes paths case-insensitively
    [InlineData("/us%72v/test?b=12&a=Paris")]  // and on the decoded path: %72 is 'r' (sent raw: HttpClient would unescape it)
    public async Task A_path_that_ASP_NET_Core_routes_under_the_prefix_reaches_usrv_without_the_prefix(string target)
    {
        await using var server = await App.StartAsync(app => app.MapUsrv("/usrv", new Router().BindType(typeof(DemoBindings))));

        var raw = await RawHttp.ExchangeAsync(server.Client.BaseAddress!, $"GET {target} HTTP/1.1");

        Assert.True(raw.Status == 200, raw.ToString());
        Assert.Equal("""["Paris","12"]""", raw.Body);
    }

    [Theory]
    [InlineData("usrv")]
    [InlineData("/usrv/")]
    [InlineData("usrv/")]
    public async Task The_prefix_may_be_written_with_or_without_slashes(string prefix)
    {
        await using var server = await App.StartAsync(app => app.MapUsrv(prefix, new Router().BindType(typeof(DemoBindings))));

        Assert.Equal((HttpStatusCode.OK, "application/json", """["Paris","12"]"""), await Get(server.Client, "/usrv/test?b=12&a=Paris"));
    }

    [Fact]
    public async Task Two_routers_under_two_prefixes_and_the_app_live_side_by_side()
    {
        var second = new Router().Bind("/hello/<name>", (string name) => (200, $"hello {name}"));
        await using var server = await App.StartAsync(app =>
        {
            app.MapGet("/health", () => "ok");
            app.MapUsrv("/demo", new Router().BindType(typeof(DemoBindings)));
            app.MapUsrv("/other", second);
        });

        Assert.Equal("ok", (await Get(server.Client, "/health")).Body);
        Assert.Equal("""["Paris","12"]""", (await Get(server.Client, "/demo/test?b=12&a=Paris")).Body);
        Assert.Equal("\"hello bob\"", (await Get(server.Client, "/other/hello/bob")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Client, "/other/test")).Status);
    }

    [Fact]
    public async Task MapUsrv_returns_a_convention_builder_whose_conventions_apply()
    {
        await using var server = await App.StartAsync(app =>
        {
            app.MapUsrv("/usrv", new Router().BindType(typeof(DemoBindings))).RequireHost("usrv.example");
        });

        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Client, "/usrv/test")).Status); // Host is 127.0.0.1:port
        using var request = new HttpRequestMessage(HttpMethod.Get, "/usrv/test?b=12&a=Paris");
        request.Headers.Host = "usrv.example";
        using var response = await server.Client.SendAsync(request);
        Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_access_log_goes_to_the_app_logging()
    {
        using var lines = new CapturingLoggerProvider();
        await using var server = await App.StartAsync(
            app => app.MapUsrv("/usrv", new Router().BindType(typeof(DemoBindings))),
            logging => logging.AddProvider(lines));

        Assert.Equal(HttpStatusCode.OK, (await Get(server.Client, "/usrv/test?b=12&a=Paris")).Status);

        var line = await lines.WaitForAsync(l => l.Category == AccessLog.Category, TimeSpan.FromSeconds(5));
        Assert.NotNull(line);
        Assert.Matches("""^127\.0\.0\.1:\d+ - "GET (/usrv)?/test\?\.\.\. HTTP/1\.1" 200$""", line.Message);
    }

    /// <summary>A scoped service the application's middleware fills, to show that handlers get the request's own scope.</summary>
    public sealed class RequestTag
    {
        public string Value { get; set; } = "unset";
    }

    [Fact]
    public async Task Handlers_get_the_applications_services_from_the_request_scope()
    {
        await using var server = await App.StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                context.RequestServices.GetRequiredService<RequestTag>().Value = "set by middleware";
                return next(context);
            });
            var router = new Router(new RouterOptions { Services = app.Services })
                .Bind("/implicit", (RequestTag tag) => (200, tag.Value))
                .Bind("/marked", ([FromServices] RequestTag tag) => (200, tag.Value));
            app.MapUsrv("/usrv", router);
            // [FromServices] needs no RouterOptions.Services: the request's services resolve it.
            app.MapUsrv("/bare", new Router().Bind("/marked", ([FromServices] RequestTag tag) => (200, tag.Value)));
        }, services: services => services.AddScoped<RequestTag>());

        Assert.Equal("\"set by middleware\"", (await Get(server.Client, "/usrv/implicit")).Body);
        Assert.Equal("\"set by middleware\"", (await Get(server.Client, "/usrv/marked")).Body);
        Assert.Equal("\"set by middleware\"", (await Get(server.Client, "/bare/marked")).Body);
    }
}
