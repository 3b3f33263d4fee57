namespace Usrv.Plugins.Binance;

/// <summary>One asset of <c>GET /api/v3/account</c>: <c>{"asset": "BTC", "free": "4723846.89208129", "locked": "0.00000000"}</c>.</summary>
/// <param name="Asset">The asset, e.g. <c>BTC</c>.</param>
/// <param name="Free">The amount available.</param>
/// <param name="Locked">The amount held by open orders.</param>
public sealed record BinanceBalance(string Asset, decimal Free, decimal Locked);
