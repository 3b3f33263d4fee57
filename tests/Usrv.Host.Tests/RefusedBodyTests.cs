using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// Issue 12 over real sockets, on every host kind: a body refused with 413 is not read further and its connection is
/// closed; a client that resets its connection mid-body is a client that left (a Debug line, no 500, no error), not a
/// handler failure. One derived class per host: <see cref="ListenerHostRefusedBodyTests"/>, <see cref="KestrelHostRefusedBodyTests"/>.
/// </summary>
public abstract class RefusedBodyTests<TFixture> where TFixture : RouterHostFixture, IRouterHostFixture<TFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>The body limit of these tests: 64 KiB.</summary>
    private const int Limit = 64 * 1024;

    /// <summary>What the client means to send: 64 MiB, far more than the socket buffers of both sides hold.</summary>
    private const long Planned = 64L * 1024 * 1024;

    private static async Task AssertStillServes(TFixture server)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Bound };
        Assert.Equal("""["Paris","12"]""", await client.GetStringAsync("/test?b=12&a=Paris"));
    }

    /// <summary>
    /// Sends <paramref name="head"/>, then <paramref name="piece"/> again and again (up to <see cref="Planned"/> bytes, as
    /// fast as the server takes them), while reading the answer until the server closes the connection.
    /// </summary>
    private static async Task<(RawResponse Answer, long Sent)> SendWhileReading(Uri server, byte[] head, byte[] piece)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        using var deadline = new CancellationTokenSource(Bound);
        await tcp.ConnectAsync(server.Host, server.Port, deadline.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(head, deadline.Token);
        long sent = 0;
        var sending = Task.Run(async () =>
        {
            try
            {
                while (sent < Planned)
                {
                    await stream.WriteAsync(piece, deadline.Token);
                    Interlocked.Add(ref sent, piece.Length);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the server closed the connection (or the bound ran out)
            }
        });
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        bool closed = false;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0) received.Write(buffer, 0, read);
            closed = true;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            closed = true; // reset by the server
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // still open at the bound
        }
        // A server that closed makes the writes fail at once; one that drains takes them all.
        await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(2)));
        return (new RawResponse(received.ToArray(), closed), Interlocked.Read(ref sent));
    }

    private static byte[] Head(Uri server, string lines) => RawHttp.Head(server, $"POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\n{lines}");

    [Fact]
    public async Task A_body_declared_over_the_limit_is_413_and_the_connection_is_closed_without_reading_the_rest()
    {
        await TFixture.RunAsync(s => s.RouterOptions.MaxRequestBodyBytes = Limit, async server =>
        {
            var (answer, sent) = await SendWhileReading(
                server.BaseAddress, Head(server.BaseAddress, $"Content-Length: {Planned}"), new byte[64 * 1024]);

            Assert.Equal(413, answer.Status);
            Assert.True(sent < Planned / 2, $"the server took {sent} of the {Planned} bytes of a refused body");
            Assert.True(answer.Closed, $"the connection was still open after {Bound.TotalSeconds} s: {answer}");
            Assert.Equal("close", answer.Header("Connection"));
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_chunked_body_that_grows_over_the_limit_is_413_and_the_connection_is_closed_without_reading_the_rest()
    {
        await TFixture.RunAsync(s => s.RouterOptions.MaxRequestBodyBytes = Limit, async server =>
        {
            var data = new byte[64 * 1024];
            Array.Fill(data, (byte)'x');
            byte[] chunk = [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];

            var (answer, sent) = await SendWhileReading(server.BaseAddress, Head(server.BaseAddress, "Transfer-Encoding: chunked"), chunk);

            Assert.Equal(413, answer.Status);
            Assert.Contains($"limit of {Limit} bytes", answer.Body);
            Assert.True(sent < Planned / 2, $"the server took {sent} of the {Planned} bytes of a refused body");
            Assert.True(answer.Closed, $"the connection was still open after {Bound.TotalSeconds} s: {answer}");
            Assert.Equal("close", answer.Header("Connection"));
            await AssertStillServes(server);
        });
    }

    [Fact]
    public async Task A_chunked_body_within_the_limit_in_small_chunks_is_read_whole()
    {
        // Kestrel counts the chunks' framing against its own limit: the adapter's allowance must keep such a body readable.
        await TFixture.RunAsync(s => s.RouterOptions.MaxRequestBodyBytes = Limit, async server =>
        {
            var body = new StringBuilder();
            for (int i = 0; i < Limit / 64; i++) body.Append($"40\r\n{new string('y', 64)}\r\n");
            body.Append("0\r\n\r\n");

            var raw = await RawHttp.ExchangeAsync(server.BaseAddress,
                "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked", Encoding.ASCII.GetBytes(body.ToString()));

            Assert.Equal(200, raw.Status);
            Assert.Contains(new string('y', 64), raw.Text);
        });
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

    [Fact]
    public async Task A_body_that_stalls_past_the_read_timeout_is_a_400_in_the_access_log_and_no_error()
    {
        using var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(lines));
        await TFixture.RunAsync(s =>
        {
            s.Loggers = loggers;
            s.Options.BodyReadTimeout = TimeSpan.FromSeconds(1);
        }, async server =>
        {
            await using var connection = await RawHttp.ConnectAsync(server.BaseAddress);
            await connection.SendAsync(RawHttp.Head(server.BaseAddress,
                "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 100"));
            await connection.SendAsync(Encoding.ASCII.GetBytes("0123456789")); // then nothing: the server gives up

            var access = await lines.WaitForAsync(l => l.Category == AccessLog.Category && l.Message.Contains("POST /kwargs"), Bound);
            Assert.NotNull(access);
            Assert.EndsWith("\" 400", access.Message); // the server's timeout, not a client that left nor a handler failure
            Assert.True((await connection.ReadUntilClosedAsync(Bound)).Closed);
            await AssertStillServes(server);
            Assert.DoesNotContain(lines.Lines, l => l.Level >= LogLevel.Error);
        });
    }
}

/// <summary>Kestrel counts a chunked body's framing against the limit the adapter gives it (the router's and an allowance).</summary>
public sealed class KestrelChunkFramingTests
{
    [Fact]
    public async Task A_chunked_body_whose_framing_is_over_the_allowance_is_the_router_413_not_a_400()
    {
        const int limit = 64 * 1024;
        await KestrelHostFixture.RunAsync(s => s.RouterOptions.MaxRequestBodyBytes = limit, async server =>
        {
            // 60 000 bytes, under the limit, in chunks of one byte: 6 bytes on the wire each, over Kestrel's allowance.
            var body = new StringBuilder();
            for (int i = 0; i < 60_000; i++) body.Append("1\r\ny\r\n");
            body.Append("0\r\n\r\n");

            var raw = await RawHttp.ExchangeAsync(server.BaseAddress,
                "POST /kwargs HTTP/1.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked", Encoding.ASCII.GetBytes(body.ToString()));

            Assert.Equal(413, raw.Status);
            Assert.Equal("application/problem+json", raw.Header("Content-Type"));
            Assert.Contains($"the request body is larger than the limit of {limit} bytes", raw.Body);
        });
    }
}

/// <summary>Refused and abandoned bodies on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostRefusedBodyTests : RefusedBodyTests<ListenerHostFixture>;

/// <summary>Refused and abandoned bodies on Kestrel.</summary>
public sealed class KestrelHostRefusedBodyTests : RefusedBodyTests<KestrelHostFixture>;
