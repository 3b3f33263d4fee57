using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Usrv.Host.Tests;

/// <summary>
/// The hosts themselves, where a host kind differs: IPv6, start errors. What every host does alike (the access log,
/// the graceful stop) is in <see cref="HostLifecycleTests{TFixture}"/>.
/// </summary>
public sealed class ListenerHostTests
{
    [IPv6LoopbackFact]
    public async Task Serves_on_the_IPv6_loopback_or_says_to_use_kestrel_where_HttpListener_cannot()
    {
        if (ListenerHost.SupportsAddress(IPAddress.IPv6Loopback))
        {
            await using var server = await ListenerHostFixture.StartAsync(s => s.Address = IPAddress.IPv6Loopback);
            Assert.Equal("""["Paris","12"]""", await server.Client.GetStringAsync("/test?b=12&a=Paris"));
            return;
        }
        // HttpListener's managed implementation (Linux, macOS) has no IPv6: a clear error, never a silent IPv4 bind.
        await using var host = new ListenerHost(new Route.Router(), new UsrvHostOptions { Address = IPAddress.IPv6Loopback, Port = 1 });
        var error = Assert.Throws<HostStartException>(host.Start);
        Assert.Contains("--server kestrel", error.Message);
    }

    [IPv6LoopbackFact]
    public async Task Kestrel_serves_on_the_IPv6_loopback()
    {
        await KestrelHostFixture.RunAsync(s => s.Address = IPAddress.IPv6Loopback, async server =>
        {
            Assert.Equal($"http://[::1]:{server.Port}/", server.BaseAddress.ToString());
            Assert.Equal("""["Paris","12"]""", await server.Client.GetStringAsync("/test?b=12&a=Paris"));
        });
    }

    [Fact]
    public async Task A_port_already_in_use_is_a_HostStartException_with_one_clear_line()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            int port = ((IPEndPoint)busy.LocalEndpoint).Port;
            await using var host = new ListenerHost(new Usrv.Route.Router(), new UsrvHostOptions { Port = port });

            var error = Assert.Throws<HostStartException>(host.Start);

            Assert.Contains($"127.0.0.1:{port}", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            busy.Stop();
        }
    }
    [Fact]
    public async Task Kestrel_on_a_port_already_in_use_is_a_HostStartException_with_one_clear_line()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            int port = ((IPEndPoint)busy.LocalEndpoint).Port;
            await using var host = new KestrelHost(new Usrv.Route.Router(), new UsrvHostOptions { Port = port });

            var error = await Assert.ThrowsAsync<HostStartException>(() => host.StartAsync());

            Assert.Contains($"127.0.0.1:{port}", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            busy.Stop();
        }
    }
}

/// <summary>
/// What every host does alike, written against any host kind (one derived class per host, as
/// <see cref="DemoBindingsTests{TFixture}"/>): one access log line per request, a graceful stop.
/// </summary>
public abstract class HostLifecycleTests<TFixture> where TFixture : RouterHostFixture, IRouterHostFixture<TFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Each_request_writes_one_access_log_line_like_usrv()
    {
        using var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(lines));
        await TFixture.RunAsync(s => s.Loggers = loggers, async server =>
        {
            using var response = await server.Client.GetAsync("/test?b=12&a=Paris");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var line = await lines.WaitForAsync(l => l.Category == "Usrv.Access", Bound);
            Assert.NotNull(line);
            Assert.Equal(LogLevel.Information, line.Level);
            Assert.Matches("""^127\.0\.0\.1:\d+ - "GET /test\?\.\.\. HTTP/1\.1" 200$""", line.Message);
        });
    }

    [Fact]
    public async Task The_access_log_has_the_status_of_problems_too_and_the_log_has_the_handler_exception()
    {
        using var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(lines));
        await TFixture.RunAsync(s => s.Loggers = loggers, async server =>
        {
            using var response = await server.Client.GetAsync("/error_500");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

            var access = await lines.WaitForAsync(l => l.Category == "Usrv.Access", Bound);
            Assert.Matches("""^127\.0\.0\.1:\d+ - "GET /error_500 HTTP/1\.1" 500$""", access?.Message);
            var failure = lines.Lines.Single(l => l.Level == LogLevel.Error);
            Assert.Equal("Usrv.Route", failure.Category);
            Assert.Contains("demo failure", failure.Exception?.Message);
        });
    }

    [Fact]
    public async Task Stop_lets_a_request_in_flight_finish_then_closes()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool handlerFinished = false;
        await TFixture.RunAsync(s => s.Router.Bind("/slow", async () =>
        {
            entered.TrySetResult();
            await Task.Delay(500);
            Volatile.Write(ref handlerFinished, true);
            return (200, "done");
        }), async server =>
        {
            var request = server.Client.GetAsync("/slow");
            await entered.Task.WaitAsync(Bound);
            var stop = server.Host.StopAsync();

            Assert.False(stop.IsCompleted, "StopAsync must wait for the request in flight");
            using var response = await request.WaitAsync(Bound);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("\"done\"", await response.Content.ReadAsStringAsync());
            await stop.WaitAsync(Bound);
            Assert.True(Volatile.Read(ref handlerFinished), "StopAsync completed before the handler did");

            // Stopped: nothing listens any more.
            using var fresh = new HttpClient { Timeout = Bound };
            await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync(new Uri(server.BaseAddress, "/test")));
        });
    }

    [Fact]
    public async Task Stop_cancels_the_token_of_handlers_still_running_after_the_shutdown_timeout()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await TFixture.RunAsync(s =>
        {
            s.Options.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            s.Router.Bind("/forever", async (CancellationToken aborted) =>
            {
                entered.TrySetResult();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), aborted);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                    throw;
                }
                return (200, "never");
            });
        }, async server =>
        {
            var request = server.Client.GetAsync("/forever");
            await entered.Task.WaitAsync(Bound);

            await server.Host.StopAsync().WaitAsync(Bound);

            await cancelled.Task.WaitAsync(Bound);
            // The client gets no answer (the connection is closed) or an error status, never a hang.
            try
            {
                using var response = await request.WaitAsync(Bound);
                Assert.True((int)response.StatusCode >= 500, $"unexpected {(int)response.StatusCode}");
            }
            catch (HttpRequestException)
            {
                // closed without an answer
            }
        });
    }
}

/// <summary>The access log and the graceful stop of the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostLifecycleTests : HostLifecycleTests<ListenerHostFixture>;

/// <summary>The same on Kestrel through the ASP.NET Core adapter (<see cref="KestrelHost"/>).</summary>
public sealed class KestrelHostLifecycleTests : HostLifecycleTests<KestrelHostFixture>;

/// <summary>A fact that is skipped, with a message that says why, where the OS has no IPv6 loopback to listen on.</summary>
public sealed class IPv6LoopbackFactAttribute : FactAttribute
{
    public IPv6LoopbackFactAttribute()
    {
        if (!Socket.OSSupportsIPv6)
        {
            Skip = "skipped: this OS does not support IPv6 (Socket.OSSupportsIPv6 is false)";
            return;
        }
        try
        {
            ListenerHostFixture.FreePort(IPAddress.IPv6Loopback);
        }
        catch (SocketException e)
        {
            Skip = $"skipped: IPv6 is supported but [::1] cannot be listened on here ({e.SocketErrorCode})";
        }
    }
}
