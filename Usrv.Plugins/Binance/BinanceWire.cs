using System.Globalization;

namespace Usrv.Plugins.Binance;

/// <summary>The wire text of Binance's enums and decimals.</summary>
internal static class BinanceWire
{
    public static string Text(BinanceOrderSide side) => side switch
    {
        BinanceOrderSide.Buy => "BUY",
        BinanceOrderSide.Sell => "SELL",
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "unknown order side"),
    };

    public static string Text(BinanceOrderType type) => type switch
    {
        BinanceOrderType.Limit => "LIMIT",
        BinanceOrderType.Market => "MARKET",
        BinanceOrderType.StopLoss => "STOP_LOSS",
        BinanceOrderType.StopLossLimit => "STOP_LOSS_LIMIT",
        BinanceOrderType.TakeProfit => "TAKE_PROFIT",
        BinanceOrderType.TakeProfitLimit => "TAKE_PROFIT_LIMIT",
        BinanceOrderType.LimitMaker => "LIMIT_MAKER",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown order type"),
    };

    public static string Text(BinanceTimeInForce timeInForce) => timeInForce switch
    {
        BinanceTimeInForce.Gtc => "GTC",
        BinanceTimeInForce.Ioc => "IOC",
        BinanceTimeInForce.Fok => "FOK",
        _ => throw new ArgumentOutOfRangeException(nameof(timeInForce), timeInForce, "unknown time in force"),
    };

    /// <summary>A decimal as Binance reads it: invariant culture, no exponent, no trailing zeros (<c>0.1</c>, <c>1</c>).</summary>
    public static string Text(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
