namespace Usrv.Plugins.Binance;

/// <summary>
/// Order type (Binance Spot API, ENUM definitions: <c>type</c>). Each type has its own mandatory parameters
/// (<c>POST /api/v3/order</c>): LIMIT needs timeInForce, quantity and price; MARKET needs quantity or quoteOrderQty;
/// STOP_LOSS and TAKE_PROFIT need quantity and stopPrice; their _LIMIT forms also timeInForce and price;
/// LIMIT_MAKER needs quantity and price.
/// </summary>
public enum BinanceOrderType
{
    /// <summary><c>LIMIT</c>.</summary>
    Limit,
    /// <summary><c>MARKET</c>.</summary>
    Market,
    /// <summary><c>STOP_LOSS</c>.</summary>
    StopLoss,
    /// <summary><c>STOP_LOSS_LIMIT</c>.</summary>
    StopLossLimit,
    /// <summary><c>TAKE_PROFIT</c>.</summary>
    TakeProfit,
    /// <summary><c>TAKE_PROFIT_LIMIT</c>.</summary>
    TakeProfitLimit,
    /// <summary><c>LIMIT_MAKER</c> (post-only).</summary>
    LimitMaker,
}
