using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Usrv.Route;

namespace Usrv.Plugins.Tests;

/// <summary>
/// An imitation of Binance's Spot REST API written as usrv bindings, checking what the real API checks
/// (Binance Spot API: "Endpoint security type", "SIGNED Endpoint security", "Timing security", "Error codes"):
/// <list type="bullet">
/// <item>Errors are Binance's <c>{"code": -1121, "msg": "Invalid symbol."}</c>; API-key errors (-2014, -2015) answer 401,
/// the others 400.</item>
/// <item>Signed endpoints (<c>GET /api/v3/account</c>, <c>POST /api/v3/order/test</c>, <c>GET /api/v3/openOrders</c>), in order:
/// <c>X-MBX-APIKEY</c> present (-2014) and this account's (-2015); <c>signature</c>, <c>timestamp</c> sent (-1102);
/// <c>recvWindow</c> at most 60000 (-1102); the HMAC-SHA256 under the secret key, recomputed over totalParams exactly as
/// received (the raw query string, then the raw body) up to <c>&amp;signature=</c>, equal byte for byte to the signature
/// sent, compared in constant time (-1022); <c>timestamp &lt; serverTime + 1000</c> and
/// <c>serverTime - timestamp &lt;= recvWindow</c> (-1021); then the endpoint's own parameters.</item>
/// <item><c>POST /api/v3/order/test</c>: symbol, side, type mandatory (-1102), symbol known (-1121), side (-1117),
/// type (-1116), timeInForce (-1115) valid, and each type's mandatory parameters (-1102); answers <c>{}</c>.</item>
/// <item>Market data: <c>ping</c>, <c>time</c>, <c>exchangeInfo</c> (symbol or symbols), <c>ticker/price</c> (symbol, symbols or all),
/// <c>depth</c> (symbol mandatory, limit 1-5000, default 100); an unknown symbol is -1121.</item>
/// </list>
/// </summary>
public sealed class BinanceImitation
{
    private static readonly Dictionary<string, (string Base, string Quote, string Price)> Markets = new()
    {
        ["BTCUSDT"] = ("BTC", "USDT", "64123.45000000"),
        ["ETHBTC"] = ("ETH", "BTC", "0.07946600"),
        ["BNBBTC"] = ("BNB", "BTC", "0.00812300"),
        ["LTCBTC"] = ("LTC", "BTC", "0.00153200"),
    };

    private static readonly Dictionary<string, string[]> MandatoryByType = new()
    {
        ["LIMIT"] = ["timeInForce", "quantity", "price"],
        ["MARKET"] = [],
        ["STOP_LOSS"] = ["quantity", "stopPrice"],
        ["STOP_LOSS_LIMIT"] = ["timeInForce", "quantity", "price", "stopPrice"],
        ["TAKE_PROFIT"] = ["quantity", "stopPrice"],
        ["TAKE_PROFIT_LIMIT"] = ["timeInForce", "quantity", "price", "stopPrice"],
        ["LIMIT_MAKER"] = ["quantity", "price"],
    };

    private readonly string _apiKey;
    private readonly byte[] _secretKey;
    private readonly TimeProvider _clock;
    private int _requests;

    /// <summary>Creates the imitation of an account with <paramref name="apiKey"/> and <paramref name="secretKey"/>.</summary>
    /// <param name="apiKey">The API key the imitation accepts.</param>
    /// <param name="secretKey">The secret key signatures are checked with.</param>
    /// <param name="clock">The server's clock (serverTime); the system clock when <c>null</c>.</param>
    /// <param name="prefix">A path prefix for every endpoint, e.g. <c>/binance</c> (none by default).</param>
    public BinanceImitation(string apiKey, string secretKey, TimeProvider? clock = null, string prefix = "")
    {
        _apiKey = apiKey;
        _secretKey = Encoding.UTF8.GetBytes(secretKey);
        _clock = clock ?? TimeProvider.System;
        Router = new Router()
            .Bind(prefix + "/api/v3/ping", (UsrvRequest request) => Public(request, _ => WireJson.Json(200, new { })))
            .Bind(prefix + "/api/v3/time", (UsrvRequest request) => Public(request, _ => WireJson.Json(200, new { serverTime = ServerTime })))
            .Bind(prefix + "/api/v3/exchangeInfo", (UsrvRequest request) => Public(request, ExchangeInfo))
            .Bind(prefix + "/api/v3/ticker/price", (UsrvRequest request) => Public(request, TickerPrice))
            .Bind(prefix + "/api/v3/depth", (UsrvRequest request) => Public(request, Depth))
            .Bind(prefix + "/api/v3/account", (UsrvRequest request) => Signed(request, null, Account))
            .Bind(prefix + "/api/v3/order/test", (UsrvRequest request, byte[]? data) => Signed(request, data, TestOrder), "POST")
            .Bind(prefix + "/api/v3/openOrders", (UsrvRequest request) => Signed(request, null, OpenOrders));
    }

    /// <summary>The bindings to serve.</summary>
    public Router Router { get; }

    /// <summary>Requests received by any endpoint.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The request-targets received, as sent (percent-encoded), in order.</summary>
    public ConcurrentQueue<string> Targets { get; } = new();

    /// <summary>The <c>X-MBX-APIKEY</c> header of each request (<c>null</c> when absent), in order.</summary>
    public ConcurrentQueue<string?> ApiKeys { get; } = new();

    private long ServerTime => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private Reply Public(UsrvRequest request, Func<Dictionary<string, string>, Reply> answer)
    {
        Record(request);
        return answer(Parameters(Query(request.Target)));
    }

    private Reply Signed(UsrvRequest request, byte[]? body, Func<Dictionary<string, string>, Reply> answer)
    {
        Record(request);
        var apiKey = request.Headers["X-MBX-APIKEY"];
        if (string.IsNullOrEmpty(apiKey)) return Error(401, -2014, "API-key format invalid.");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(apiKey), Encoding.UTF8.GetBytes(_apiKey)))
            return Error(401, -2015, "Invalid API-key, IP, or permissions for action.");

        // totalParams: the query string as received, then the body (Binance: "query string concatenated with the request body").
        var query = Query(request.Target);
        var form = body is { Length: > 0 } ? Encoding.UTF8.GetString(body) : "";
        var totalParams = query + form;
        // Parameters are read from each part; one sent in both is taken from the query string (Binance, General Information on Endpoints).
        var parameters = Parameters(form);
        foreach (var (name, value) in Parameters(query)) parameters[name] = value;
        int at = totalParams.IndexOf("&signature=", StringComparison.Ordinal);
        if (at < 0 || !parameters.TryGetValue("signature", out var signature) || signature.Length == 0) return Mandatory("signature");
        if (!parameters.TryGetValue("timestamp", out var stamp) || !long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            return Mandatory("timestamp");
        long recvWindow = 5000;
        if (parameters.TryGetValue("recvWindow", out var window) && !long.TryParse(window, NumberStyles.None, CultureInfo.InvariantCulture, out recvWindow))
            return Mandatory("recvWindow");
        if (recvWindow > 60000) return Error(400, -1102, "'recvWindow' contains unexpected value. Cannot be greater than '60000'.");

        // The signed text is everything before "&signature="; the signature sent must be the HMAC of exactly that, byte for byte.
        var expected = HMACSHA256.HashData(_secretKey, Encoding.UTF8.GetBytes(totalParams[..at]));
        var sent = totalParams[(at + "&signature=".Length)..];
        byte[] received;
        try
        {
            received = sent.Length == 64 ? Convert.FromHexString(sent) : [];
        }
        catch (FormatException)
        {
            received = [];
        }
        if (!CryptographicOperations.FixedTimeEquals(expected, received)) return Error(400, -1022, "Signature for this request is not valid.");

        var serverTime = ServerTime;
        if (timestamp >= serverTime + 1000) return Error(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
        if (serverTime - timestamp > recvWindow) return Error(400, -1021, "Timestamp for this request is outside of the recvWindow.");
        return answer(parameters);
    }

    private Reply ExchangeInfo(Dictionary<string, string> parameters)
    {
        if (!TrySymbols(parameters, out var symbols, out var refused)) return refused!;
        return WireJson.Json(200, new
        {
            timezone = "UTC",
            serverTime = ServerTime,
            rateLimits = new[]
            {
                new { rateLimitType = "REQUEST_WEIGHT", interval = "MINUTE", intervalNum = 1, limit = 6000 },
                new { rateLimitType = "ORDERS", interval = "SECOND", intervalNum = 10, limit = 100 },
            },
            exchangeFilters = Array.Empty<object>(),
            symbols = symbols.Select(s => new
            {
                symbol = s,
                status = "TRADING",
                baseAsset = Markets[s].Base,
                baseAssetPrecision = 8,
                quoteAsset = Markets[s].Quote,
                quoteAssetPrecision = 8,
                orderTypes = MandatoryByType.Keys,
                icebergAllowed = true,
                ocoAllowed = true,
                isSpotTradingAllowed = true,
                isMarginTradingAllowed = false,
                filters = new object[]
                {
                    new { filterType = "PRICE_FILTER", minPrice = "0.01000000", maxPrice = "1000000.00000000", tickSize = "0.01000000" },
                    new { filterType = "LOT_SIZE", minQty = "0.00001000", maxQty = "9000.00000000", stepSize = "0.00001000" },
                },
                permissions = new[] { "SPOT" },
            }),
        });
    }

    private Reply TickerPrice(Dictionary<string, string> parameters)
    {
        if (!TrySymbols(parameters, out var symbols, out var refused)) return refused!;
        return parameters.ContainsKey("symbol")
            ? WireJson.Json(200, new { symbol = symbols[0], price = Markets[symbols[0]].Price })
            : WireJson.Json(200, symbols.Select(s => new { symbol = s, price = Markets[s].Price }));
    }

    private Reply Depth(Dictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("symbol", out var symbol) || symbol.Length == 0) return Mandatory("symbol");
        if (!Markets.ContainsKey(symbol)) return Error(400, -1121, "Invalid symbol.");
        int limit = 100;
        if (parameters.TryGetValue("limit", out var text) && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= 5000))
            return Mandatory("limit");
        var mid = decimal.Parse(Markets[symbol].Price, CultureInfo.InvariantCulture);
        var tick = mid / 10000m;
        string F(decimal value) => value.ToString("0.00000000", CultureInfo.InvariantCulture);
        int levels = Math.Min(limit, 20);
        return WireJson.Json(200, new
        {
            lastUpdateId = 1027024,
            bids = Enumerable.Range(1, levels).Select(i => new[] { F(mid - i * tick), F(i * 0.5m) }),
            asks = Enumerable.Range(1, levels).Select(i => new[] { F(mid + i * tick), F(i * 0.25m) }),
        });
    }

    private Reply Account(Dictionary<string, string> parameters) => WireJson.Json(200, new
    {
        makerCommission = 15,
        takerCommission = 15,
        buyerCommission = 0,
        sellerCommission = 0,
        canTrade = true,
        canWithdraw = true,
        canDeposit = true,
        updateTime = 123456789,
        accountType = "SPOT",
        balances = new[]
        {
            new { asset = "BTC", free = "4723846.89208129", locked = "0.00000000" },
            new { asset = "USDT", free = "1000.50000000", locked = "12.25000000" },
        },
        permissions = new[] { "SPOT" },
    });

    private Reply OpenOrders(Dictionary<string, string> parameters)
    {
        var orders = new[] { Order("BTCUSDT", 1, "60000.00", "0.002"), Order("BTCUSDT", 2, "58000.00", "0.004"), Order("ETHBTC", 3, "0.07500000", "1.5") };
        if (parameters.TryGetValue("symbol", out var symbol))
        {
            if (!Markets.ContainsKey(symbol)) return Error(400, -1121, "Invalid symbol.");
            return WireJson.Json(200, orders.Where(o => (string)o["symbol"] == symbol));
        }
        return WireJson.Json(200, orders);
    }

    private static Dictionary<string, object> Order(string symbol, long id, string price, string quantity) => new()
    {
        ["symbol"] = symbol, ["orderId"] = id, ["orderListId"] = -1, ["clientOrderId"] = "myOrder" + id,
        ["price"] = price, ["origQty"] = quantity, ["executedQty"] = "0.0", ["cummulativeQuoteQty"] = "0.0",
        ["status"] = "NEW", ["timeInForce"] = "GTC", ["type"] = "LIMIT", ["side"] = "BUY",
        ["stopPrice"] = "0.0", ["icebergQty"] = "0.0", ["time"] = 1499827319559, ["updateTime"] = 1499827319559,
        ["isWorking"] = true, ["origQuoteOrderQty"] = "0.000000",
    };

    private Reply TestOrder(Dictionary<string, string> parameters)
    {
        foreach (var name in (string[])["symbol", "side", "type"])
        {
            if (!parameters.TryGetValue(name, out var value) || value.Length == 0) return Mandatory(name);
        }
        if (!Markets.ContainsKey(parameters["symbol"])) return Error(400, -1121, "Invalid symbol.");
        if (parameters["side"] is not ("BUY" or "SELL")) return Error(400, -1117, "Invalid side.");
        if (!MandatoryByType.TryGetValue(parameters["type"], out var mandatory)) return Error(400, -1116, "Invalid orderType.");
        if (parameters.TryGetValue("timeInForce", out var tif) && tif is not ("GTC" or "IOC" or "FOK")) return Error(400, -1115, "Invalid timeInForce.");
        foreach (var name in mandatory)
        {
            if (!parameters.TryGetValue(name, out var value) || value.Length == 0) return Mandatory(name);
        }
        if (parameters["type"] == "MARKET" && !parameters.ContainsKey("quantity") && !parameters.ContainsKey("quoteOrderQty"))
            return Error(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
        foreach (var name in (string[])["quantity", "quoteOrderQty", "price", "stopPrice", "icebergQty"])
        {
            if (parameters.TryGetValue(name, out var value)
                && !(decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) && number > 0))
                return Mandatory(name);
        }
        return WireJson.Json(200, new { });
    }

    private static bool TrySymbols(Dictionary<string, string> parameters, out List<string> symbols, out Reply? refused)
    {
        refused = null;
        symbols = [.. Markets.Keys];
        if (parameters.TryGetValue("symbol", out var one))
        {
            symbols = [one];
        }
        else if (parameters.TryGetValue("symbols", out var many))
        {
            try
            {
                symbols = JsonSerializer.Deserialize<List<string>>(many) ?? [];
            }
            catch (JsonException)
            {
                refused = Mandatory("symbols");
                return false;
            }
        }
        if (symbols.Any(s => !Markets.ContainsKey(s)))
        {
            refused = Error(400, -1121, "Invalid symbol.");
            return false;
        }
        return true;
    }

    private void Record(UsrvRequest request)
    {
        Interlocked.Increment(ref _requests);
        Targets.Enqueue(request.Target);
        ApiKeys.Enqueue(request.Headers["X-MBX-APIKEY"]);
    }

    private static string Query(string target)
    {
        int question = target.IndexOf('?');
        return question < 0 ? "" : target[(question + 1)..];
    }

    private static Dictionary<string, string> Parameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in QueryString.Parse(text).Pairs) parameters[name] = value;
        return parameters;
    }

    private static Reply Mandatory(string name) =>
        Error(400, -1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");

    private static Reply Error(int status, int code, string msg) => WireJson.Json(status, new { code, msg });
}
