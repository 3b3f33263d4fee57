using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// User stages (<c>router.Use</c>) and services (dependency injection) over real sockets, the same on every host kind:
/// one derived class per host (<see cref="ListenerHostStagesTests"/>, <see cref="KestrelHostStagesTests"/>).
/// </summary>
public abstract class StagesOnHostsTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    /// <summary>Appends its name to <c>X-Trace</c> on the way out.</summary>
    private sealed class NamedStage(string name) : IUsrvStage
    {
        public async ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
        {
            var response = await next(request);
            var trace = response.Headers.FirstOrDefault(h => h.Key == "X-Trace").Value;
            var others = response.Headers.Where(h => h.Key != "X-Trace").ToList();
            return new UsrvResponse(response.Status, response.ContentType, response.Body)
            {
                BodyStream = response.BodyStream,
                Headers = [.. others, new("X-Trace", trace is null ? name : trace + "," + name)],
            };
        }
    }

    [Fact]
    public async Task User_stages_run_in_the_order_added_and_see_the_answer_on_the_way_out() =>
        await runAsync(s => s.Router.Use(new NamedStage("outer")).Use(new NamedStage("inner")), async server =>
        {
            using var response = await server.Client.GetAsync("/test?b=12&a=Paris");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
            Assert.Equal("inner,outer", string.Join(",", response.Headers.GetValues("X-Trace")));
        });

    [Fact]
    public async Task An_api_key_stage_answers_401_before_the_handler_runs()
    {
        int calls = 0;
        await runAsync(s => s.Router
            .Bind("/report", () => { Interlocked.Increment(ref calls); return (200, "report"); })
            .Use((request, next) => request.Headers["X-Api-Key"] == "let-me-in"
                ? next(request)
                : throw new ProblemException(401, "send the API key in X-Api-Key", headers: [new("WWW-Authenticate", "ApiKey")])),
            async server =>
            {
                using var refused = await server.Client.GetAsync("/report");
                using var request = new HttpRequestMessage(HttpMethod.Get, "/report") { Headers = { { "X-Api-Key", "let-me-in" } } };
                using var admitted = await server.Client.SendAsync(request);

                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Equal("ApiKey", refused.Headers.WwwAuthenticate.Single().Scheme);
                Assert.Contains("send the API key in X-Api-Key", await refused.Content.ReadAsStringAsync());
                Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
                Assert.Equal(1, calls);
            });
    }

    [Fact]
    public async Task A_stage_rewrites_the_reply() =>
        await runAsync(s => s.Router.Use(async (request, next) =>
        {
            var response = await next(request);
            if (response.Status != 200) return response;
            return new UsrvResponse(200, response.ContentType, Encoding.UTF8.GetBytes($$"""{"data":{{response.BodyText}}}"""));
        }), async server =>
        {
            Assert.Equal("""{"data":["Paris","12"]}""", await server.Client.GetStringAsync("/test?b=12&a=Paris"));
        });

    public sealed class Visits
    {
        private int _count;
        public int Next() => Interlocked.Increment(ref _count);
    }

    public sealed class RequestState : IDisposable
    {
        public static int Disposed;
        public void Dispose() => Interlocked.Increment(ref Disposed);
    }

    [Fact]
    public async Task Services_are_injected_into_handlers_with_a_scope_per_request()
    {
        await using var services = new ServiceCollection().AddSingleton<Visits>().AddScoped<RequestState>().BuildServiceProvider();
        int disposedBefore = RequestState.Disposed;
        await runAsync(s =>
        {
            s.RouterOptions.Services = services;
            s.Router.Bind("/visits", (Visits visits, RequestState state) => (200, visits.Next()));
        }, async server =>
        {
            Assert.Equal("1", await server.Client.GetStringAsync("/visits"));
            Assert.Equal("2", await server.Client.GetStringAsync("/visits"));
            Assert.Equal(disposedBefore + 2, RequestState.Disposed);
        });
    }
}

public sealed class ListenerHostStagesTests() : StagesOnHostsTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

public sealed class KestrelHostStagesTests() : StagesOnHostsTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
