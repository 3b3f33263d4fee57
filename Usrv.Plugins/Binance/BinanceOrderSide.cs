namespace Usrv.Plugins.Binance;

/// <summary>Order side (Binance Spot API, ENUM definitions: <c>side</c>).</summary>
public enum BinanceOrderSide
{
    /// <summary><c>BUY</c>.</summary>
    Buy,
    /// <summary><c>SELL</c>.</summary>
    Sell,
}
