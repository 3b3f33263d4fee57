using System.Text;
using Microsoft.Extensions.Logging;
using Usrv.Crypto;

namespace Usrv.Route.Tests;

/// <summary>User stages (router.Use), endpoint stages ([UseStage], BindOptions.Stages) and the one error model.</summary>
public class StageTests
{
    /// <summary>Writes "name>" on the way in and "<name" on the way out to a shared trace.</summary>
    private sealed class TracingStage(string name, List<string> trace) : IUsrvStage
    {
        public async ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
        {
            trace.Add(name + ">");
            var response = await next(request);
            trace.Add("<" + name);
            return response;
        }
    }

    /// <summary>The README's API-key check: 401 before the handler runs unless X-Api-Key is right.</summary>
    public sealed class ApiKeyStage : IUsrvStage
    {
        public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next) =>
            request.Headers["X-Api-Key"] == "let-me-in"
                ? next(request)
                : throw new ProblemException(401, "send the API key in X-Api-Key", headers: [new("WWW-Authenticate", "ApiKey")]);
    }

    public sealed class StampStage : IUsrvStage
    {
        public async ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next) =>
            (await next(request)).WithHeader("X-Stamp", request.Binding?.HandlerName ?? "none");
    }

    [UseStage(typeof(StampStage))]
    public static class Guarded
    {
        public static int Calls;

        [Bind("/report"), UseStage(typeof(ApiKeyStage))]
        public static (int, string) Report()
        {
            Interlocked.Increment(ref Calls);
            return (200, "secret report");
        }

        [Bind("/open")]
        public static (int, string) Open() => (200, "open");
    }

    [Fact]
    public async Task User_stages_run_in_the_order_added_around_the_endpoint()
    {
        var trace = new List<string>();
        var router = new Router()
            .Bind("/hello", () => { trace.Add("handler"); return (200, "hi"); })
            .Use(new TracingStage("first", trace))
            .Use(new TracingStage("second", trace));

        var response = await router.Get("/hello");

        Assert.Equal(200, response.Status);
        Assert.Equal(["first>", "second>", "handler", "<second", "<first"], trace);
    }

    [Fact]
    public async Task A_stage_that_answers_alone_short_circuits_the_rest()
    {
        int handled = 0;
        var router = new Router()
            .Bind("/hello", () => { handled++; return (200, "hi"); })
            .Use((request, next) => request.Headers["X-Api-Key"] == "let-me-in"
                ? next(request)
                : ValueTask.FromResult(ProblemDetails.Response(401, "send the API key in X-Api-Key")));

        var refused = await router.Get("/hello");
        var admitted = await router.Send("GET", "/hello", headers: ("X-Api-Key", "let-me-in"));

        Assert.Equal(401, refused.Status);
        Assert.Equal("send the API key in X-Api-Key", refused.Detail());
        Assert.Equal(200, admitted.Status);
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task A_stage_can_rewrite_the_reply()
    {
        var router = new Router()
            .Bind("/hello", () => (200, "hi"))
            .Use(async (request, next) =>
            {
                var response = await next(request);
                if (response.Status != 200) return response;
                var wrapped = Encoding.UTF8.GetBytes($$"""{"data":{{response.BodyText}}}""");
                return new UsrvResponse(200, response.ContentType, wrapped) { Headers = response.Headers };
            });

        var response = await router.Get("/hello");

        Assert.Equal("""{"data":"hi"}""", response.BodyText);
        Assert.Equal(404, (await router.Get("/nowhere")).Status); // problems pass through untouched
    }

    [Fact]
    public async Task A_timing_stage_adds_a_header_to_every_answer_problems_included()
    {
        var router = new Router()
            .Bind("/hello", () => (200, "hi"))
            .Use(async (request, next) =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var response = await next(request);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return response.WithHeader("Server-Timing", $"app;dur={elapsed:0.0}");
            });

        foreach (var target in new[] { "/hello", "/nowhere", "/hello?x=%zz" })
        {
            var response = await router.Get(target);
            Assert.Matches(@"^app;dur=\d+\.\d$", Assert.Single(response.Headers, h => h.Key == "Server-Timing").Value);
        }
    }

    [Fact]
    public async Task Endpoint_stages_run_after_routing_type_first_then_method_and_see_the_endpoint()
    {
        Guarded.Calls = 0;
        var router = new Router().BindType(typeof(Guarded));

        var refused = await router.Get("/report");
        var admitted = await router.Send("GET", "/report", headers: ("X-Api-Key", "let-me-in"));
        var open = await router.Get("/open");

        Assert.Equal(401, refused.Status);
        Assert.Equal("ApiKey", Assert.Single(refused.Headers, h => h.Key == "WWW-Authenticate").Value);
        Assert.Equal("\"secret report\"", admitted.BodyText);
        Assert.Equal(1, Guarded.Calls);
        // The type's stamp stage runs outside the method's key check: it stamps the refusal too.
        Assert.Equal("Usrv.Route.Tests.StageTests+Guarded.Report", Assert.Single(refused.Headers, h => h.Key == "X-Stamp").Value);
        Assert.Equal("Usrv.Route.Tests.StageTests+Guarded.Open", Assert.Single(open.Headers, h => h.Key == "X-Stamp").Value);
        Assert.Equal(2, router.Bindings.Single(b => b.Pattern.Text == "/report").Stages.Count);
    }

    [Fact]
    public async Task Bind_options_give_a_lambda_its_methods_and_stages()
    {
        var trace = new List<string>();
        var options = new BindOptions { Methods = ["POST"] };
        options.Stages.Add(new TracingStage("endpoint", trace));
        var router = new Router()
            .Bind("/orders", (string id) => (201, id), options)
            .Bind("/other", () => (200, "other"))
            .Use(new TracingStage("router", trace));

        Assert.Equal(201, (await router.Send("POST", "/orders?id=7")).Status);
        Assert.Equal(["router>", "endpoint>", "<endpoint", "<router"], trace);
        trace.Clear();
        Assert.Equal(200, (await router.Get("/other")).Status);
        Assert.Equal(["router>", "<router"], trace);
        Assert.Equal(405, (await router.Get("/orders")).Status);
    }

    [Fact]
    public void UseStage_with_a_type_that_is_not_a_stage_is_refused_at_bind_time()
    {
        var error = Assert.Throws<BindingException>(() => new Router().BindType(typeof(NotAStage)));
        Assert.Contains("IUsrvStage", error.Message);
    }

    public static class NotAStage
    {
        [Bind("/x"), UseStage(typeof(string))]
        public static int X() => 200;
    }

    [Fact]
    public async Task A_problem_exception_gives_status_title_type_detail_and_headers()
    {
        var router = new Router().Bind("/pay", object () => throw new ProblemException(
            402, "top up your account", title: "Payment needed", type: "https://example.org/problems/payment",
            headers: [new("Retry-After", "60")]));

        var response = await router.Get("/pay");

        Assert.Equal(402, response.Status);
        Assert.Equal(ProblemDetails.ContentType, response.ContentType);
        Assert.Equal("https://example.org/problems/payment", response.Json().GetProperty("type").GetString());
        Assert.Equal("Payment needed", response.Json().GetProperty("title").GetString());
        Assert.Equal("top up your account", response.Detail());
        Assert.Equal("60", Assert.Single(response.Headers, h => h.Key == "Retry-After").Value);
    }

    [Fact]
    public void The_envelope_failures_are_problem_exceptions()
    {
        ProblemException problem = new EnvelopeException(412, "nonce outside the window");
        Assert.Equal(412, problem.Status);
        Assert.Equal("nonce outside the window", problem.Detail);
    }

    [Fact]
    public async Task A_stage_that_throws_any_other_exception_is_a_logged_500()
    {
        using var lines = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(lines));
        var router = new Router(loggers: loggers)
            .Bind("/hello", () => (200, "hi"))
            .Use((_, _) => throw new InvalidOperationException("stage bug"));

        var response = await router.Get("/hello?token=secret");

        Assert.Equal(500, response.Status);
        Assert.DoesNotContain("stage bug", response.BodyText);
        var failure = Assert.Single(lines.Lines, e => e.Level == LogLevel.Error);
        Assert.Equal("stage bug", failure.Exception?.Message);
        Assert.DoesNotContain("secret", failure.Message); // the path only, never the query
    }

    [Fact]
    public async Task Options_are_read_once_when_the_router_is_made()
    {
        var options = new RouterOptions { MaxUrlLength = 20 };
        var router = new Router(options).Bind("/hello", () => (200, "hi"));
        options.MaxUrlLength = 10_000;

        Assert.Equal(414, (await router.Get("/hello?" + new string('x', 30))).Status);
    }

    [Fact]
    public async Task A_user_stage_sees_a_sealed_request_sealed_and_an_endpoint_stage_sees_its_sender()
    {
        using var server = PrivateKey.Generate();
        using var caller = PrivateKey.Generate();
        PublicKey? seenByEndpointStage = null;
        bool userStageSawScheme = false;
        var options = new BindOptions { Methods = ["POST"] };
        options.Stages.Add(new DelegatingStage((request, next) => { seenByEndpointStage = request.Sender; return next(request); }));
        var router = new Router(new RouterOptions { Identity = server })
            .Bind("/whoami", (UsrvRequest request) => (200, request.Sender?.ToString()), options)
            .Use((request, next) => { userStageSawScheme = request.Headers["Usrv-Scheme"] is not null; return next(request); });

        var sealedCall = UsrvEnvelope.SealRequest(caller, server.PublicKey, new RequestLine("POST", "usrv.test", "/whoami", "application/json"), "{}"u8, DateTimeOffset.UtcNow);
        var headers = RequestHeaders.From([new("Host", "usrv.test"), new("Content-Type", "application/json"), .. sealedCall.Headers.ToPairs()]);
        var response = await router.HandleAsync(new UsrvRequest("POST", "/whoami", headers, new MemoryStream(sealedCall.Body.ToArray()))
        {
            ContentLength = sealedCall.Body.Length,
        });

        Assert.Equal(200, response.Status);
        Assert.True(userStageSawScheme);
        Assert.Equal(caller.PublicKey, seenByEndpointStage);
    }

    private sealed class DelegatingStage(Func<UsrvRequest, UsrvRequestHandler, ValueTask<UsrvResponse>> invoke) : IUsrvStage
    {
        public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next) => invoke(request, next);
    }
}
