using System.Text.Json.Serialization;

namespace Usrv.Plugins.Binance;

/// <summary>One price level of an order book: Binance sends <c>["4.00000000", "431.00000000"]</c> (price, quantity).</summary>
/// <param name="Price">The price, in the quote asset.</param>
/// <param name="Quantity">The quantity at that price, in the base asset.</param>
[JsonConverter(typeof(BinanceOrderBookLevelConverter))]
public sealed record BinanceOrderBookLevel(decimal Price, decimal Quantity);
