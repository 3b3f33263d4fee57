namespace Usrv.Plugins.Binance;

/// <summary>An order book (<c>GET /api/v3/depth</c>): <c>{"lastUpdateId": 1027024, "bids": [[price, qty]...], "asks": [...]}</c>.</summary>
/// <param name="LastUpdateId">The book's last update id.</param>
/// <param name="Bids">Buy levels, best (highest) price first.</param>
/// <param name="Asks">Sell levels, best (lowest) price first.</param>
public sealed record BinanceOrderBook(
    long LastUpdateId,
    IReadOnlyList<BinanceOrderBookLevel> Bids,
    IReadOnlyList<BinanceOrderBookLevel> Asks);
