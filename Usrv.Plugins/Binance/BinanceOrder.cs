namespace Usrv.Plugins.Binance;

/// <summary>An order as <c>GET /api/v3/openOrders</c> reports it (Binance Spot API).</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="OrderId">Binance's order id.</param>
/// <param name="OrderListId">The order list (OCO) id, -1 when not part of one.</param>
/// <param name="ClientOrderId">The client order id.</param>
/// <param name="Price">The limit price.</param>
/// <param name="OrigQty">The quantity ordered.</param>
/// <param name="ExecutedQty">The quantity filled.</param>
/// <param name="CummulativeQuoteQty">The quote amount filled (Binance's spelling).</param>
/// <param name="Status">E.g. <c>NEW</c>, <c>PARTIALLY_FILLED</c>.</param>
/// <param name="TimeInForce">E.g. <c>GTC</c>.</param>
/// <param name="Type">E.g. <c>LIMIT</c>.</param>
/// <param name="Side"><c>BUY</c> or <c>SELL</c>.</param>
/// <param name="StopPrice">The stop price, 0 when none.</param>
/// <param name="IcebergQty">The iceberg quantity, 0 when none.</param>
/// <param name="Time">Creation time, in milliseconds since the Unix epoch.</param>
/// <param name="UpdateTime">Last update, in milliseconds since the Unix epoch.</param>
/// <param name="IsWorking">Whether the order is on the book.</param>
/// <param name="OrigQuoteOrderQty">The quote quantity ordered (MARKET orders by quote), 0 otherwise.</param>
public sealed record BinanceOrder(
    string Symbol,
    long OrderId,
    long OrderListId,
    string ClientOrderId,
    decimal Price,
    decimal OrigQty,
    decimal ExecutedQty,
    decimal CummulativeQuoteQty,
    string Status,
    string TimeInForce,
    string Type,
    string Side,
    decimal StopPrice,
    decimal IcebergQty,
    long Time,
    long UpdateTime,
    bool IsWorking,
    decimal OrigQuoteOrderQty);
