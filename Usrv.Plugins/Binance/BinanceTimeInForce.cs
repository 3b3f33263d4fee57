namespace Usrv.Plugins.Binance;

/// <summary>How long an order stays active (Binance Spot API, ENUM definitions: <c>timeInForce</c>).</summary>
public enum BinanceTimeInForce
{
    /// <summary><c>GTC</c>: good till canceled.</summary>
    Gtc,
    /// <summary><c>IOC</c>: immediate or cancel.</summary>
    Ioc,
    /// <summary><c>FOK</c>: fill or kill.</summary>
    Fok,
}
