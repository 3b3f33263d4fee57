namespace Usrv.Plugins.Binance;

/// <summary>The latest price of a symbol (<c>GET /api/v3/ticker/price</c>): <c>{"symbol": "LTCBTC", "price": "4.00000200"}</c>.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Price">The last price, in the quote asset (sent by Binance as a string, read exactly as a decimal).</param>
public sealed record BinanceTickerPrice(string Symbol, decimal Price);
