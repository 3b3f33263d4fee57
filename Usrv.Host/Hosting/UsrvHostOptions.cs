using System.Net;

namespace Usrv.Host;

/// <summary>
/// Settings of a host, the built-in <see cref="ListenerHost"/> or <see cref="KestrelHost"/>: usrv's command-line server
/// options (<c>-i</c>, <c>-p</c>, <c>-t</c>) and the transport's timeouts. Read once, when the host starts. The request
/// limits every host shares (URL, headers, body) are the router's: <see cref="Usrv.Route.RouterOptions"/>.
/// </summary>
public sealed class UsrvHostOptions
{
    private IReadOnlyList<IPAddress> _addresses = [IPAddress.Loopback];

    /// <summary>
    /// Address to listen on: an IPv4 or IPv6 address (<c>-i</c>, 127.0.0.1 by default; <c>::1</c> for IPv6 loopback).
    /// The first of <see cref="Addresses"/>; setting it makes it the only one.
    /// </summary>
    public IPAddress Address
    {
        get => _addresses[0];
        set => _addresses = [value ?? throw new ArgumentNullException(nameof(value))];
    }

    /// <summary>
    /// Every address to listen on, each with <see cref="Port"/> (<c>-i</c> repeated: <c>-i 127.0.0.1 -i ::1</c>), IPv4 and
    /// IPv6; at least one, repeats ignored. <c>0.0.0.0</c> takes every IPv4 address and <c>::</c> every IPv6 one (on
    /// Kestrel, both together are one dual-mode socket). The built-in host serves IPv6 addresses only on Windows
    /// (<see cref="ListenerHost.SupportsAddress"/>); <c>usrv</c> then serves the whole list on Kestrel.
    /// </summary>
    /// <exception cref="ArgumentException">Set to an empty list.</exception>
    public IReadOnlyList<IPAddress> Addresses
    {
        get => _addresses;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0) throw new ArgumentException("at least one address to listen on", nameof(value));
            _addresses = [.. value.Distinct()];
        }
    }

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
            if (_addresses.Any(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any))) return [$"http://+:{Port}/"];
            var prefixes = _addresses.Select(UrlOf).ToList();
            if (_addresses.Any(IPAddress.IsLoopback)) prefixes.Add($"http://localhost:{Port}/");
            return prefixes;
        }
    }

    /// <summary>The URL of the server, e.g. <c>http://127.0.0.1:5000/</c> or <c>http://[::1]:5000/</c>.</summary>
    public string Prefix => UrlOf(Address);

    /// <summary>The URL of every address, in the order of <see cref="Addresses"/>, e.g. <c>http://127.0.0.1:5000/</c>.</summary>
    public IReadOnlyList<string> Urls => [.. _addresses.Select(UrlOf)];

    private string UrlOf(IPAddress address) => UrlOf("http", address, Port);

    /// <summary>The URL of <paramref name="address"/> and <paramref name="port"/>, IPv6 in brackets.</summary>
    internal static string UrlOf(string scheme, IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"{scheme}://[{address}]:{port}/"
            : $"{scheme}://{address}:{port}/";
}
