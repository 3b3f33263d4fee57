using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Usrv.Host.Tests;

/// <summary>
/// A redis-server of the test's own on a free loopback port, without persistence, stopped on dispose (Debian's
/// redis-server, which .ci/run installs). Tests that stop and restart Redis use their own; the one .ci/run starts is
/// named by USRV_TEST_REDIS.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private Process? _process;

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    public static RedisServer Start()
    {
        var server = new RedisServer(ListenerHostFixture.FreePort(IPAddress.Loopback));
        server.Restart();
        return server;
    }

    /// <summary>The address of the Redis .ci/run started (USRV_TEST_REDIS, host:port), else null.</summary>
    public static string? Shared => Environment.GetEnvironmentVariable("USRV_TEST_REDIS") is { Length: > 0 } address ? "redis://" + address : null;

    public void Restart()
    {
        var start = new ProcessStartInfo("redis-server", $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var socket = new TcpClient();
                socket.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on {Port} within 10 s");
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}

/// <summary>
/// A test that needs Debian's redis-server: skipped, saying how to install it, on a machine that has none and names no
/// USRV_TEST_REDIS; never skipped under CI (<c>CI=true</c>), where .ci/run installs and starts it.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Shared is not null || Environment.GetEnvironmentVariable("CI") == "true") return;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(folder => File.Exists(Path.Combine(folder, "redis-server")));
        if (!onPath) Skip = "skipped: redis-server is not installed (apt-get install redis-server; .ci/run installs it)";
    }
}
