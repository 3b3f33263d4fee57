using System.Net;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// CPU-bound routes (README) over real sockets, the same on every host kind: while a pool's thread and queue are held by
/// gates, an I/O-bound endpoint still answers (the host's handler threads are free) and one more pooled call is a 503
/// with Retry-After. One derived class per host (<see cref="ListenerHostPoolTests"/>, <see cref="KestrelHostPoolTests"/>).
/// </summary>
public abstract class HandlerPoolOnHostsTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_io_endpoint_answers_while_the_pool_is_saturated()
    {
        using var pool = new HandlerPool("gate", new PoolOptions { Threads = 1, QueueLength = 1 });
        using var open = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        try
        {
            await runAsync(s =>
            {
                s.Options.Threads = 1; // the built-in host's -t: one handler thread, free while the pool holds the calls
                s.RouterOptions.Pools["gate"] = pool;
                s.Router
                    .Bind("/cpu", () =>
                    {
                        entered.Release();
                        open.Wait(Bound);
                        return (200, "computed");
                    }, new BindOptions { Pool = "gate" })
                    .Bind("/io", () => (200, "io"));
            }, async server =>
            {
                var running = server.Client.GetAsync("/cpu");
                Assert.True(await entered.WaitAsync(Bound), "the pooled handler did not start");
                var waiting = server.Client.GetAsync("/cpu");
                using (var timeout = new CancellationTokenSource(Bound))
                {
                    while (pool.Waiting != 1) await Task.Delay(10, timeout.Token);
                }

                var io = await server.Client.GetStringAsync("/io");
                using var refused = await server.Client.GetAsync("/cpu");
                open.Set();

                Assert.Equal("\"io\"", io);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                using var first = await running;
                using var second = await waiting;
                Assert.Equal("\"computed\"", await first.Content.ReadAsStringAsync());
                Assert.Equal("\"computed\"", await second.Content.ReadAsStringAsync());
            });
        }
        finally
        {
            open.Set();
        }
    }
}

public sealed class ListenerHostPoolTests() : HandlerPoolOnHostsTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

public sealed class KestrelHostPoolTests() : HandlerPoolOnHostsTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
