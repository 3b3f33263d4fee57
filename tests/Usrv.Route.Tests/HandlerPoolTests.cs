using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>
/// CPU-bound routes (README): a synchronous handler bound to a <see cref="HandlerPool"/> runs on the pool's own named
/// threads, a full queue is a 503 with Retry-After, and a pool name is checked at bind time.
/// </summary>
public class HandlerPoolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>A handler that signals when it runs and then waits for the test to open the gate.</summary>
    private sealed class Gate : IDisposable
    {
        private readonly ManualResetEventSlim _open = new();
        private readonly SemaphoreSlim _entered = new(0);

        public (int, string) Hold()
        {
            _entered.Release();
            _open.Wait(Bound);
            return (200, Thread.CurrentThread.Name ?? "?");
        }

        public async Task EnteredAsync() => Assert.True(await _entered.WaitAsync(Bound), "the handler did not start");

        public void Open() => _open.Set();

        public void Dispose()
        {
            _open.Set();
            _open.Dispose();
            _entered.Dispose();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition()) await Task.Delay(10, timeout.Token);
    }

    [Fact]
    public async Task A_call_beyond_the_threads_and_the_queue_is_a_503_with_Retry_After()
    {
        using var pool = new HandlerPool("one", new PoolOptions { Threads = 1, QueueLength = 1 });
        using var gate = new Gate();
        var options = new RouterOptions();
        options.Pools["one"] = pool;
        var router = new Router(options).Bind("/hold", gate.Hold, new BindOptions { Pool = "one" });

        var running = router.Get("/hold");
        await gate.EnteredAsync();
        var waiting = router.Get("/hold");
        await WaitUntilAsync(() => pool.Waiting == 1);
        var refused = await router.Get("/hold").WaitAsync(Bound);
        gate.Open();

        Assert.Equal(503, refused.Status);
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "1"), refused.Headers);
        Assert.Contains("'one' pool is busy", refused.Detail());
        Assert.Equal(200, (await running.WaitAsync(Bound)).Status);
        Assert.Equal(200, (await waiting.WaitAsync(Bound)).Status);
        Assert.Equal(0, pool.Waiting);
    }

    [Fact]
    public async Task The_handler_runs_on_a_dedicated_thread_named_after_the_pool()
    {
        using var pool = new HandlerPool("render", new PoolOptions { Threads = 2 });
        var options = new RouterOptions();
        options.Pools["render"] = pool;
        var router = new Router(options).Bind("/where", () => (200, Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread,
            Thread.CurrentThread.IsBackground), new BindOptions { Pool = "render" });

        var answer = (await router.Get("/where").WaitAsync(Bound)).Json();

        Assert.Matches("^usrv render #[12]$", answer[0].GetString());
        Assert.False(answer[1].GetBoolean());
        Assert.True(answer[2].GetBoolean());
        Assert.Equal(pool, router.Bindings.Single(b => b.Pattern.Text == "/where").Pool);
    }

    public static class CpuApi
    {
        [Bind("/square/<int:n>", Pool = "cpu")]
        public static (int, int, string?) Square(int n) => (200, n * n, Thread.CurrentThread.Name);

        [Bind("/plain")]
        public static (int, bool) Plain() => (200, Thread.CurrentThread.Name?.StartsWith("usrv cpu", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Every_router_has_a_cpu_pool_of_one_thread_per_core()
    {
        var router = new Router().BindType(typeof(CpuApi));

        var square = (await router.Get("/square/12").WaitAsync(Bound)).Json();
        var plain = (await router.Get("/plain").WaitAsync(Bound)).Json();

        Assert.Same(HandlerPool.Cpu, new RouterOptions().Pools["cpu"]);
        Assert.Equal(Environment.ProcessorCount, HandlerPool.Cpu.Threads);
        Assert.Equal(4 * Environment.ProcessorCount, HandlerPool.Cpu.QueueLength);
        Assert.Equal(144, square[0].GetInt32());
        Assert.StartsWith("usrv cpu #", square[1].GetString());
        Assert.False(plain.GetBoolean());
        Assert.Throws<InvalidOperationException>(() => HandlerPool.Cpu.Dispose());
    }

    public static class UnknownPool
    {
        [Bind("/x", Pool = "gpu")]
        public static int X() => 200;
    }

    [Fact]
    public void An_unknown_pool_name_is_a_binding_error()
    {
        var router = new Router();

        var attribute = Assert.Throws<BindingException>(() => router.BindType(typeof(UnknownPool)));
        var options = Assert.Throws<BindingException>(() => router.Bind("/y", () => 200, new BindOptions { Pool = "Cpu" }));

        Assert.Contains("names the pool 'gpu', which RouterOptions.Pools does not hold (it holds 'cpu')", attribute.Message);
        Assert.Contains("names the pool 'Cpu'", options.Message);
        Assert.Empty(router.Bindings);
    }

    [Fact]
    public void An_async_handler_on_a_pool_is_a_binding_error()
    {
        var router = new Router();

        var task = Assert.Throws<BindingException>(() =>
            router.Bind("/a", async () => { await Task.Yield(); return 200; }, new BindOptions { Pool = "cpu" }));
        var valueTask = Assert.Throws<BindingException>(() =>
            router.Bind("/b", () => ValueTask.FromResult(200), new BindOptions { Pool = "cpu" }));

        Assert.Contains("only synchronous handlers run on a pool", task.Message);
        Assert.Contains("only synchronous handlers run on a pool", valueTask.Message);
    }

    [Fact]
    public async Task Failures_on_a_pool_answer_as_anywhere_else()
    {
        var router = new Router()
            .Bind("/teapot", new Func<int>(() => throw new ProblemException(418, "short and stout")), new BindOptions { Pool = "cpu" })
            .Bind("/boom", new Func<int>(() => throw new InvalidOperationException("secret")), new BindOptions { Pool = "cpu" });

        var teapot = await router.Get("/teapot").WaitAsync(Bound);
        var boom = await router.Get("/boom").WaitAsync(Bound);

        Assert.Equal(418, teapot.Status);
        Assert.Equal("short and stout", teapot.Detail());
        Assert.Equal(500, boom.Status);
        Assert.DoesNotContain("secret", boom.BodyText);
    }

    [Fact]
    public async Task A_call_whose_request_is_aborted_while_it_waits_never_runs()
    {
        using var pool = new HandlerPool("one", new PoolOptions { Threads = 1, QueueLength = 1 });
        using var gate = new Gate();
        int late = 0;
        var options = new RouterOptions();
        options.Pools["one"] = pool;
        var router = new Router(options)
            .Bind("/hold", gate.Hold, new BindOptions { Pool = "one" })
            .Bind("/late", () => Interlocked.Increment(ref late) * 0 + 200, new BindOptions { Pool = "one" });
        using var abort = new CancellationTokenSource();

        var running = router.Get("/hold");
        await gate.EnteredAsync();
        var waiting = router.HandleAsync(new UsrvRequest("GET", "/late") { Aborted = abort.Token }).AsTask();
        await WaitUntilAsync(() => pool.Waiting == 1);
        abort.Cancel();
        gate.Open();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Bound));
        Assert.Equal(200, (await running.WaitAsync(Bound)).Status);
        Assert.Equal(0, late);
    }

    [Fact]
    public async Task A_disposed_pool_answers_503()
    {
        var pool = new HandlerPool("gone", new PoolOptions { Threads = 1 });
        var options = new RouterOptions();
        options.Pools["gone"] = pool;
        var router = new Router(options).Bind("/x", () => 200, new BindOptions { Pool = "gone" });
        Assert.Equal(200, (await router.Get("/x").WaitAsync(Bound)).Status);

        pool.Dispose();
        var refused = await router.Get("/x").WaitAsync(Bound);

        Assert.Equal(503, refused.Status);
        Assert.Contains("'gone' pool is stopped", refused.Detail());
    }

    [Fact]
    public void Pool_options_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HandlerPool("p", new PoolOptions { Threads = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HandlerPool("p", new PoolOptions { QueueLength = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HandlerPool("p", new PoolOptions { RetryAfterSeconds = 0 }));
        Assert.Throws<ArgumentException>(() => new HandlerPool(" "));
    }
}

/// <summary>The README's chapter "CPU-bound routes", as written there.</summary>
public class CpuBoundRoutesReadmeTests
{
    public static class Reports
    {
        [Bind("/primes/<int:n>", Pool = "cpu")]          // on the "cpu" pool, not on the host's threads
        public static (int, int) Primes(int n) => (200, Enumerable.Range(2, Math.Max(0, n - 1)).Count(IsPrime));

        private static bool IsPrime(int k) => Enumerable.Range(2, Math.Max(0, (int)Math.Sqrt(k) - 1)).All(d => k % d != 0);
    }

    [Fact]
    public async Task CPU_bound_routes()
    {
        using var render = new HandlerPool("render", new PoolOptions { Threads = 2, QueueLength = 8 });
        var options = new RouterOptions();
        options.Pools["render"] = render;
        var router = new Router(options).BindType(typeof(Reports));
        router.Bind("/render", (string doc) => (200, doc.ToUpperInvariant()), new BindOptions { Pool = "render" });

        Assert.Equal("25", (await router.Get("/primes/100").WaitAsync(TimeSpan.FromSeconds(10))).BodyText);
        Assert.Equal("\"HI\"", (await router.Get("/render?doc=hi").WaitAsync(TimeSpan.FromSeconds(10))).BodyText);
        Assert.Same(HandlerPool.Cpu, router.Bindings[0].Pool);
        Assert.Same(render, router.Bindings[1].Pool);
        Assert.Equal(1, HandlerPool.Cpu.RetryAfterSeconds);
    }
}
