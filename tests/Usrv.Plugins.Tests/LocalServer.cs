using System.Net;
using System.Net.Sockets;
using Usrv.Host;
using Usrv.Route;

namespace Usrv.Plugins.Tests;

/// <summary>
/// A <see cref="Router"/> served by usrv's built-in <see cref="ListenerHost"/> on 127.0.0.1 and a free port.
/// HttpListener cannot listen on port 0, so a TcpListener finds a free port first; when another process takes it
/// in between, the start is retried on another port.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly ListenerHost _host;

    private LocalServer(ListenerHost host, Uri url)
    {
        _host = host;
        Url = url;
    }

    /// <summary>The server's URL, e.g. <c>http://127.0.0.1:50123/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="router"/>.</summary>
    public static async Task<LocalServer> StartAsync(Router router)
    {
        for (int attempt = 1; ; attempt++)
        {
            var options = new UsrvHostOptions { Address = IPAddress.Loopback, Port = FreePort(), Threads = 4, ShutdownTimeout = TimeSpan.FromSeconds(2) };
            var host = new ListenerHost(router, options);
            try
            {
                await host.StartAsync();
                return new LocalServer(host, host.BaseAddress);
            }
            catch (HostStartException) when (attempt < 5)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>A TCP port that was free a moment ago (nothing listens on it once this returns).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
