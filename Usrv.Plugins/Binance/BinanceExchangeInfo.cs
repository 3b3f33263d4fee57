using System.Text.Json;

namespace Usrv.Plugins.Binance;

/// <summary>The exchange's trading rules (<c>GET /api/v3/exchangeInfo</c>, Binance Spot API).</summary>
/// <param name="Timezone">The server's time zone (<c>UTC</c>).</param>
/// <param name="ServerTime">The server's time, in milliseconds since the Unix epoch.</param>
/// <param name="RateLimits">The request and order rate limits.</param>
/// <param name="ExchangeFilters">Exchange-wide filters as JSON.</param>
/// <param name="Symbols">The symbols asked for (all when none was named).</param>
public sealed record BinanceExchangeInfo(
    string Timezone,
    long ServerTime,
    IReadOnlyList<BinanceRateLimit> RateLimits,
    IReadOnlyList<JsonElement> ExchangeFilters,
    IReadOnlyList<BinanceSymbolInfo> Symbols);
