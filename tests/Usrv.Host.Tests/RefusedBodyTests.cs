using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// Issue 12 over real sockets, on every host kind: a client that resets its connection mid-body is a client that left
/// (a Debug line, no 500, no error), not a handler failure. One derived class per host: <see cref="ListenerHostRefusedBodyTests"/>, <see cref="KestrelHostRefusedBodyTests"/>.
/// </summary>
public abstract class RefusedBodyTests<TFixture> where TFixture : RouterHostFixture, IRouterHostFixture<TFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task AssertStillServes(TFixture server)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Bound };
        Assert.Equal("""["Paris","12"]""", await client.GetStringAsync("/test?b=12&a=Paris"));
    }

    [Fact]
    public async Task A_client_that_resets_its_connection_mid_body_left_it_is_no_500_and_no_error()
    {
        using var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(lines));
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await TFixture.RunAsync(s =>
        {
            s.Loggers = loggers;
            s.Router.Use((request, next) =>
            {
                if (request.Method == "POST") reading.TrySetResult(); // the body is read right after the stages
                return next(request);
            });
        }, async server =>
        {
            int port;
            using (var tcp = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true })
            {
                using var deadline = new CancellationTokenSource(Bound);
                await tcp.ConnectAsync(server.BaseAddress.Host, server.Port, deadline.Token);
                port = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;
                var stream = tcp.GetStream();
                await stream.WriteAsync(RawHttp.Head(server.BaseAddress,
                    "POST /kwargs?token=secret HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2000"), deadline.Token);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(new string('x', 1000)), deadline.Token);
                await reading.Task.WaitAsync(Bound);
                await Task.Delay(100); // into the read that waits for the other 1000 bytes
                tcp.Client.LingerState = new LingerOption(true, 0);
                tcp.Client.Close(); // a reset (RST), not a FIN: the socket goes before its stream could shut it down
            }

            var access = await lines.WaitForAsync(l => l.Category == AccessLog.Category && l.Message.Contains("POST /kwargs"), Bound);
            Assert.NotNull(access);
            Assert.Equal($"127.0.0.1:{port} - \"POST /kwargs?... HTTP/1.1\" - (client left)", access.Message);
            var left = Assert.Single(lines.Lines, l => l.Category == "Usrv.Route");
            Assert.Equal(LogLevel.Debug, left.Level);
            Assert.Equal($"client 127.0.0.1:{port} left during POST /kwargs", left.Message);
            Assert.Null(left.Exception);
            await AssertStillServes(server);
            Assert.DoesNotContain(lines.Lines, l => l.Level >= LogLevel.Error);
            Assert.DoesNotContain(lines.Lines, l => l.Category == AccessLog.Category && l.Message.EndsWith(" 500", StringComparison.Ordinal));
        });
    }
}

/// <summary>Refused and abandoned bodies on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostRefusedBodyTests : RefusedBodyTests<ListenerHostFixture>;

/// <summary>Refused and abandoned bodies on Kestrel.</summary>
public sealed class KestrelHostRefusedBodyTests : RefusedBodyTests<KestrelHostFixture>;
