namespace Usrv.Plugins.Binance;

/// <summary>
/// The parameters of a new order (<c>POST /api/v3/order</c>, and of <c>POST /api/v3/order/test</c> which checks one
/// without sending it to the matching engine; Binance Spot API). Unset members are not sent; which ones a
/// <see cref="Type"/> needs is checked by Binance (<c>-1102</c> when one is missing).
/// </summary>
/// <example><code>
/// var order = new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Buy, BinanceOrderType.Limit)
/// {
///     TimeInForce = BinanceTimeInForce.Gtc, Quantity = 0.001m, Price = 25000m,
/// };
/// </code></example>
/// <param name="Symbol">The symbol, e.g. <c>BTCUSDT</c>.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">The order type.</param>
public sealed record BinanceNewOrder(string Symbol, BinanceOrderSide Side, BinanceOrderType Type)
{
    /// <summary><c>timeInForce</c>: needed by LIMIT, STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT.</summary>
    public BinanceTimeInForce? TimeInForce { get; init; }

    /// <summary><c>quantity</c>: the amount of the base asset.</summary>
    public decimal? Quantity { get; init; }

    /// <summary><c>quoteOrderQty</c>: for MARKET orders, the amount of the quote asset to spend or receive.</summary>
    public decimal? QuoteOrderQuantity { get; init; }

    /// <summary><c>price</c>: in the quote asset.</summary>
    public decimal? Price { get; init; }

    /// <summary><c>newClientOrderId</c>: a unique id among open orders; Binance makes one when not sent.</summary>
    public string? NewClientOrderId { get; init; }

    /// <summary><c>stopPrice</c>: for the STOP_LOSS and TAKE_PROFIT types.</summary>
    public decimal? StopPrice { get; init; }

    /// <summary><c>icebergQty</c>: makes a LIMIT (GTC) order an iceberg order.</summary>
    public decimal? IcebergQuantity { get; init; }

    /// <summary>The parameters in Binance's documented order (symbol, side, type, timeInForce, quantity, ...).</summary>
    internal List<KeyValuePair<string, string>> ToParameters()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Symbol);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("symbol", Symbol),
            new("side", BinanceWire.Text(Side)),
            new("type", BinanceWire.Text(Type)),
        };
        if (TimeInForce is { } tif) parameters.Add(new("timeInForce", BinanceWire.Text(tif)));
        if (Quantity is { } quantity) parameters.Add(new("quantity", BinanceWire.Text(quantity)));
        if (QuoteOrderQuantity is { } quote) parameters.Add(new("quoteOrderQty", BinanceWire.Text(quote)));
        if (Price is { } price) parameters.Add(new("price", BinanceWire.Text(price)));
        if (NewClientOrderId is { } id) parameters.Add(new("newClientOrderId", id));
        if (StopPrice is { } stop) parameters.Add(new("stopPrice", BinanceWire.Text(stop)));
        if (IcebergQuantity is { } iceberg) parameters.Add(new("icebergQty", BinanceWire.Text(iceberg)));
        return parameters;
    }
}
