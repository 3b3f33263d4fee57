using System.Net;

namespace Usrv.Host;

/// <summary>
/// Settings of a host, the built-in <see cref="ListenerHost"/> or <see cref="KestrelHost"/>: usrv's command-line server
/// options (<c>-i</c>, <c>-p</c>, <c>-t</c>) and the transport's timeouts. Read once, when the host starts. The request
/// limits every host shares (URL, headers, body) are the router's: <see cref="Usrv.Route.RouterOptions"/>.
/// </summary>
public sealed class UsrvHostOptions
{
    /// <summary>Address to listen on: an IPv4 or IPv6 address (<c>-i</c>, 127.0.0.1 by default; <c>::1</c> for IPv6 loopback).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port (<c>-p</c>, 5000 by default).</summary>
    public int Port { get; set; } = 5000;

    /// <summary>
    /// Threads that run handlers on the built-in host (<c>-t</c>, 8 by default): how many requests run their synchronous
    /// work at once. Requests in flight are not bounded by it (see <see cref="MaxConnections"/>): a request that awaits (a
    /// slow body, an async handler) holds no thread. Kestrel schedules itself.
    /// </summary>
    public int Threads { get; set; } = 8;

    /// <summary>
    /// Most requests in flight at once (<c>--max-connections</c>, 1,000 by default); beyond it new connections wait in the
    /// listen backlog until one ends. On Kestrel, <c>MaxConcurrentConnections</c>.
    /// </summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// The slowest a request body may arrive, in bytes per second, after <see cref="MinRequestBodyDataRateGracePeriod"/>
    /// (240 bytes/s, Kestrel's default): a slower body is dropped with 408 and its connection closed.
    /// </summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>
    /// The time a body is given before <see cref="MinRequestBodyDataRate"/> applies (5 s, Kestrel's default; Kestrel
    /// needs more than 1 s).
    /// </summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest wait for the next piece of a request body; the connection is closed after it (a client that stalls or sends
    /// less than its Content-Length).
    /// </summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On stop, how long requests in flight may take to finish before the listener closes.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The URL prefixes for HttpListener (built-in host only). HttpListener matches prefixes against the <c>Host</c> header, so a loopback
    /// address also gets <c>localhost</c>, and the any-address (<c>0.0.0.0</c>, <c>::</c>) becomes the wildcard <c>+</c>.
    /// </summary>
    public IReadOnlyList<string> Prefixes
    {
        get
        {
            if (Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any)) return [$"http://+:{Port}/"];
            var prefixes = new List<string> { Prefix };
            if (IPAddress.IsLoopback(Address)) prefixes.Add($"http://localhost:{Port}/");
            return prefixes;
        }
    }

    /// <summary>The URL of the server, e.g. <c>http://127.0.0.1:5000/</c> or <c>http://[::1]:5000/</c>.</summary>
    public string Prefix => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"http://[{Address}]:{Port}/"
        : $"http://{Address}:{Port}/";
}
