using System.Net;
using System.Net.Sockets;
using Usrv.Host;
using Usrv.Route;

namespace Usrv.Client.Bench;

/// <summary>A usrv host on a free loopback port in this process: the built-in one or Kestrel.</summary>
internal static class LoopbackHost
{
    public static async Task<IUsrvHost> StartAsync(Router router, bool kestrel)
    {
        var options = new UsrvHostOptions { Address = IPAddress.Loopback, Port = FreePort(), Threads = 4 };
        IUsrvHost host = kestrel ? new KestrelHost(router, options) : new ListenerHost(router, options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StartAsync(timeout.Token);
        return host;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try { return ((IPEndPoint)probe.LocalEndpoint).Port; }
        finally { probe.Stop(); }
    }
}
