using System.Net;

namespace Usrv.Host;

/// <summary>Settings of the built-in <see cref="ListenerHost"/> (usrv's command-line options and the host's limits).</summary>
public sealed class ListenerHostOptions
{
    /// <summary>Address to listen on: an IPv4 or IPv6 address (<c>-i</c>, 127.0.0.1 by default; <c>::1</c> for IPv6 loopback).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port (<c>-p</c>, 5000 by default).</summary>
    public int Port { get; set; } = 5000;

    /// <summary>Concurrent request loops (<c>-t</c>): how many requests are handled at once.</summary>
    public int Threads { get; set; } = 8;

    /// <summary>Longest request-target accepted, in characters (414 beyond; RFC 9112 section 3 recommends at least 8000).</summary>
    public int MaxUrlLength { get; set; } = 8192;

    /// <summary>
    /// Largest total of header names and values accepted, in bytes (431 beyond, RFC 6585). 16 KiB by default, below
    /// HttpListener's own 32 KiB cut-off, so that usrv's problem answer is the one clients get.
    /// </summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Longest wait for the next piece of a request body; the connection is closed after it (a client that stalls or sends less than its Content-Length).</summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On stop, how long requests in flight may take to finish before the listener closes.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The URL prefixes for HttpListener. HttpListener matches prefixes against the <c>Host</c> header, so a loopback
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
