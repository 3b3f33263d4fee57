using System.Text.Json;

namespace Usrv.Plugins.Binance;

/// <summary>A symbol's trading rules in <c>GET /api/v3/exchangeInfo</c> (Binance Spot API).</summary>
/// <param name="Symbol">The symbol, e.g. <c>ETHBTC</c>.</param>
/// <param name="Status">E.g. <c>TRADING</c>, <c>HALT</c>, <c>BREAK</c>.</param>
/// <param name="BaseAsset">The asset bought or sold, e.g. <c>ETH</c>.</param>
/// <param name="BaseAssetPrecision">Decimals of the base asset.</param>
/// <param name="QuoteAsset">The asset prices are in, e.g. <c>BTC</c>.</param>
/// <param name="QuoteAssetPrecision">Decimals of the quote asset.</param>
/// <param name="OrderTypes">The order types allowed, e.g. <c>LIMIT</c>, <c>MARKET</c>.</param>
/// <param name="IcebergAllowed">Whether iceberg orders are allowed.</param>
/// <param name="OcoAllowed">Whether OCO orders are allowed.</param>
/// <param name="IsSpotTradingAllowed">Whether spot trading is allowed.</param>
/// <param name="IsMarginTradingAllowed">Whether margin trading is allowed.</param>
/// <param name="Filters">The symbol's filters (<c>PRICE_FILTER</c>, <c>LOT_SIZE</c>...) as JSON, each with its <c>filterType</c>.</param>
public sealed record BinanceSymbolInfo(
    string Symbol,
    string Status,
    string BaseAsset,
    int BaseAssetPrecision,
    string QuoteAsset,
    int QuoteAssetPrecision,
    IReadOnlyList<string> OrderTypes,
    bool IcebergAllowed,
    bool OcoAllowed,
    bool IsSpotTradingAllowed,
    bool IsMarginTradingAllowed,
    IReadOnlyList<JsonElement> Filters);
