namespace Usrv.Plugins.Binance;

/// <summary>A rate limit of <c>GET /api/v3/exchangeInfo</c>, e.g. <c>REQUEST_WEIGHT</c> 6000 per 1 MINUTE.</summary>
/// <param name="RateLimitType"><c>REQUEST_WEIGHT</c>, <c>ORDERS</c> or <c>RAW_REQUESTS</c>.</param>
/// <param name="Interval"><c>SECOND</c>, <c>MINUTE</c> or <c>DAY</c>.</param>
/// <param name="IntervalNum">How many intervals the window spans.</param>
/// <param name="Limit">The limit within the window.</param>
public sealed record BinanceRateLimit(string RateLimitType, string Interval, int IntervalNum, int Limit);
