using System.Net;
using System.Net.Sockets;
using System.Text;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// The hosts hold under slow clients and awaiting handlers (issue 12, finding 1) and stop alike (finding 9), over real
/// sockets on every host kind: <see cref="ListenerHostSturdyTests"/>, <see cref="KestrelHostSturdyTests"/>. Every wait is
/// bounded by a gate the test opens, or by a few seconds; the body timeouts are shortened for the tests.
/// </summary>
public abstract class SturdyHostTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    /// <summary>Binds <c>/wait</c>, answered only when <paramref name="gate"/> is opened.</summary>
    private static void BindGate(RouterHostFixture.Settings s, TaskCompletionSource gate, Action? entered = null) =>
        s.Router.Bind("/wait", async () =>
        {
            entered?.Invoke();
            await gate.Task;
            return (200, "done");
        });

    private static HttpClient NewClient(TFixture server) => new() { BaseAddress = server.BaseAddress, Timeout = Bound };

    [Fact]
    public async Task An_awaiting_handler_holds_no_thread_with_one_handler_thread()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await runAsync(s =>
        {
            s.Options.Threads = 1;
            BindGate(s, gate, () => entered.TrySetResult());
        }, async server =>
        {
            using var waiting = NewClient(server);
            using var other = NewClient(server);
            var held = waiting.GetStringAsync("/wait");
            await entered.Task.WaitAsync(Bound);

            // Before: the one request loop waits in /wait, and this request is never answered.
            Assert.Equal("""["Paris","12"]""", await other.GetStringAsync("/test?b=12&a=Paris"));

            gate.SetResult();
            Assert.Equal("\"done\"", await held.WaitAsync(Bound));
        });
    }

    [Fact]
    public async Task Eight_slow_uploads_leave_a_normal_request_answered()
    {
        await runAsync(s => s.Options.Threads = 2, async server =>
        {
            var slow = new List<RawHttp>();
            try
            {
                for (int i = 0; i < 8; i++)
                {
                    var connection = await RawHttp.ConnectAsync(server.BaseAddress);
                    slow.Add(connection);
                    await connection.SendAsync([
                        .. RawHttp.Head(server.BaseAddress, "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 100000"),
                        .. "0123456789"u8.ToArray()]);
                }

                using var client = NewClient(server);
                Assert.Equal("""["Paris","12"]""", await client.GetStringAsync("/test?b=12&a=Paris"));
            }
            finally
            {
                foreach (var connection in slow) await connection.DisposeAsync();
            }
        });
    }

    [Fact]
    public async Task A_body_slower_than_the_minimum_data_rate_is_dropped()
    {
        await runAsync(s =>
        {
            s.Options.MinRequestBodyDataRate = 240;
            s.Options.MinRequestBodyDataRateGracePeriod = TimeSpan.FromSeconds(1.5); // Kestrel's least: over 1 s
        }, async server =>
        {
            await using var connection = await RawHttp.ConnectAsync(server.BaseAddress);
            await connection.SendAsync([
                .. RawHttp.Head(server.BaseAddress, "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 10000"),
                .. "x"u8.ToArray()]);
            // Kestrel checks its rate once a second, after the grace: the answer or the close comes within seconds,
            // where the 30 s per-read timeout alone would wait far longer.
            var answer = await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

            Assert.True(answer.Closed, $"the connection is still open: {answer}");
            Assert.True(answer.Status is null or 400 or 408, $"a slow body gets no answer or 400/408: {answer}");
        });
    }

    [Fact]
    public async Task Beyond_max_connections_new_requests_wait_and_the_host_keeps_serving()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int entered = 0;
        await runAsync(s =>
        {
            s.Options.MaxConnections = 2;
            BindGate(s, gate, () => Interlocked.Increment(ref entered));
        }, async server =>
        {
            using var first = NewClient(server);
            using var second = NewClient(server);
            var held = new[] { first.GetStringAsync("/wait"), second.GetStringAsync("/wait") };
            while (Volatile.Read(ref entered) < 2) await Task.Delay(20);

            using var third = NewClient(server);
            var extra = third.GetAsync("/test?b=12&a=Paris");
            var settled = await Task.WhenAny(extra, Task.Delay(700));
            // The built-in host lets the third wait; Kestrel refuses the connection: either way not served meanwhile.
            Assert.True(settled != extra || extra.IsFaulted || !extra.Result.IsSuccessStatusCode, "a third request was served beyond the cap");

            gate.SetResult();
            Assert.All(await Task.WhenAll(held).WaitAsync(Bound), answer => Assert.Equal("\"done\"", answer));
            first.Dispose(); // their kept-alive connections count against the cap until closed
            second.Dispose();
            Assert.Equal("""["Paris","12"]""", await GetWhenServedAsync(server, "/test?b=12&a=Paris"));
        });
    }

    // A request on a new connection: null when it was served 200, else what refused it.
    private static async Task<Exception?> TryLateRequestAsync(TFixture server)
    {
        try
        {
            using var late = new TcpClient();
            await late.ConnectAsync(IPAddress.Loopback, server.Port).WaitAsync(Bound);
            await using var stream = late.GetStream();
            await stream.WriteAsync(RawHttp.Head(server.BaseAddress, "GET /test HTTP/1.1\r\nConnection: close"));
            var buffer = new byte[256];
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound);
            var text = Encoding.ASCII.GetString(buffer, 0, read);
            return read == 0 || !text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) ? new IOException(text) : null;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return e;
        }
    }

    // A new connection, tried again for a few seconds while the server counts closed connections out.
    private static async Task<string> GetWhenServedAsync(TFixture server, string target)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            using var client = NewClient(server);
            try
            {
                return await client.GetStringAsync(target);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task Stopping_refuses_new_connections_and_lets_the_request_in_flight_finish()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await runAsync(s => BindGate(s, gate, () => entered.TrySetResult()), async server =>
        {
            using var client = NewClient(server);
            var held = client.GetStringAsync("/wait");
            await entered.Task.WaitAsync(Bound);

            var stopping = server.Host.StopAsync();

            // Refused from the moment the stop begins (Kestrel unbinds asynchronously: give it a few tries).
            Exception? refused = null;
            var deadline = DateTime.UtcNow + Bound;
            while (refused is null && DateTime.UtcNow < deadline)
            {
                refused = await TryLateRequestAsync(server);
                if (refused is null) await Task.Delay(50);
            }
            Assert.True(refused is SocketException or IOException or TimeoutException, $"a new connection was still served: {refused}");
            Assert.False(held.IsCompleted, "the request in flight ended before its handler was released");

            gate.SetResult();
            Assert.Equal("\"done\"", await held.WaitAsync(Bound));
            await stopping.WaitAsync(TimeSpan.FromSeconds(15));
        });
    }
}

public sealed class ListenerHostSturdyTests() : SturdyHostTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

public sealed class KestrelHostSturdyTests() : SturdyHostTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
