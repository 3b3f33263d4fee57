using Usrv.Route.Client;

namespace Usrv.Plugins.Binance;

/// <summary>Settings of a <see cref="BinanceClient"/>.</summary>
public sealed class BinanceClientOptions
{
    /// <summary>
    /// The API's base URL: <see cref="BinanceClient.DefaultBaseUrl"/> (<c>https://api.binance.com</c>); a path is kept as a prefix.
    /// </summary>
    public string BaseUrl { get; set; } = BinanceClient.DefaultBaseUrl;

    /// <summary>
    /// <c>recvWindow</c> of signed calls, in milliseconds: how long after <c>timestamp</c> the request stays valid.
    /// 5000 by default, as Binance's; Binance refuses more than 60000 (Binance Spot API, "Timing security").
    /// </summary>
    public long RecvWindow { get; set; } = 5000;

    /// <summary>The clock of <c>timestamp</c> (milliseconds since the Unix epoch); inject one in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Timeout (5 s by default), message handler and extra headers of the underlying <see cref="Peer"/>.</summary>
    public PeerOptions? Peer { get; set; }
}
