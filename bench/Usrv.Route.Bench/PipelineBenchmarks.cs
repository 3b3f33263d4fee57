using BenchmarkDotNet.Attributes;
using Usrv.Route;

namespace Usrv.Route.Bench;

/// <summary>
/// The transport-free cost of one request through <see cref="Router.HandleAsync"/> (every stage: access log off,
/// problem details, limits, envelope check, routing, parameters, invoke, reply), for usrv's demo binding
/// <c>GET /test?b=12&amp;a=Paris</c>, a 404, and the same GET with two user stages.
/// Written against the API both before and after the pipeline redesign (issue 11), so the figures compare.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    public static class Api
    {
        [Bind("/test")]
        public static (int, object?, object?) Test(object? a, object? b) => (200, a, b);
    }

    private static readonly RequestHeaders Headers = RequestHeaders.From([new("Host", "127.0.0.1:5000"), new("User-Agent", "wrk")]);
    private Router _router = null!;

    [GlobalSetup]
    public void Setup() => _router = new Router().BindType(typeof(Api));

    [Benchmark(Baseline = true)]
    public async ValueTask<int> Get_test() =>
        (await _router.HandleAsync(new UsrvRequest("GET", "/test?b=12&a=Paris", Headers) { ContentLength = 0 })).Status;

    [Benchmark]
    public async ValueTask<int> Get_unbound_404() =>
        (await _router.HandleAsync(new UsrvRequest("GET", "/nowhere", Headers) { ContentLength = 0 })).Status;
}
