using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Usrv.Crypto;
using Usrv.Route.Client;

namespace Usrv.Plugins.Binance;

/// <summary>
/// A client of Binance's Spot REST API built on usrv's <see cref="Peer"/>: market data (ping, server time, exchange
/// information, ticker prices, order book) and signed calls (account, test new order, open orders).
/// </summary>
/// <example><code>
/// using var binance = new BinanceClient(apiKey, secretKey);
/// BinanceTickerPrice btc = await binance.GetTickerPriceAsync("BTCUSDT");
/// BinanceAccount account = await binance.GetAccountAsync();                         // signed
/// await binance.TestNewOrderAsync(new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Buy, BinanceOrderType.Market) { Quantity = 0.001m });
/// </code></example>
/// <remarks>
/// <para>Signed calls (Binance Spot API, "SIGNED (TRADE and USER_DATA) Endpoint security"): the parameters, then
/// <c>recvWindow</c> (<see cref="BinanceClientOptions.RecvWindow"/>, ms) and <c>timestamp</c> (ms since the Unix epoch, from
/// <see cref="BinanceClientOptions.TimeProvider"/>), are encoded once into the query string; its HMAC-SHA256 under the
/// secret key, in lowercase hex, is appended as <c>&amp;signature=...</c>; the API key goes in the <c>X-MBX-APIKEY</c>
/// header. POST parameters travel in the query string too (Binance allows it), so the text signed is byte for byte the
/// text sent. Public calls carry no key.</para>
/// <para>Errors: an answer outside 2xx is a <see cref="BinanceException"/> (a <see cref="UsrvCallException"/>, its body read
/// by <see cref="ErrorBody"/>) with Binance's code and msg; a signed call without an API key or a secret key is an
/// <see cref="InvalidOperationException"/> thrown before anything is sent; the server out of reach is an
/// <see cref="HttpRequestException"/>; no answer within the timeout is a <see cref="TimeoutException"/>.</para>
/// <para>Secrets: the secret key is held as bytes, used only as the HMAC key, never logged, printed or put in a message,
/// and wiped on <see cref="Dispose"/> (a secret given as a .NET string cannot itself be wiped).</para>
/// </remarks>
public sealed class BinanceClient : IDisposable
{
    /// <summary>Binance's Spot REST API: <c>https://api.binance.com</c>.</summary>
    public const string DefaultBaseUrl = "https://api.binance.com";

    /// <summary>The header that carries the API key: <c>X-MBX-APIKEY</c>.</summary>
    public const string ApiKeyHeader = "X-MBX-APIKEY";

    /// <summary>The largest <c>recvWindow</c> Binance accepts, in milliseconds: 60000.</summary>
    public const long MaxRecvWindow = 60_000;

    private readonly ApiPeer _api;
    private readonly string? _apiKey;
    private readonly byte[]? _secretKey;
    private readonly TimeProvider _clock;
    private int _disposed;

    /// <summary>Creates a client; nothing is sent until a call.</summary>
    /// <param name="apiKey">The API key (sent as <c>X-MBX-APIKEY</c> on signed calls); <c>null</c> or blank for market data only.</param>
    /// <param name="secretKey">The API key's secret key (the HMAC key of signatures); <c>null</c> or empty for market data only.</param>
    /// <param name="options">Base URL, recvWindow, clock and peer options; defaults when <c>null</c>.</param>
    /// <exception cref="ArgumentException">The base URL is not an absolute http(s) URL.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BinanceClientOptions.RecvWindow"/> is not within 1 to 60000 ms.</exception>
    public BinanceClient(string? apiKey = null, string? secretKey = null, BinanceClientOptions? options = null)
    {
        options ??= new BinanceClientOptions();
        if (options.RecvWindow is < 1 or > MaxRecvWindow)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.RecvWindow, "recvWindow is 1 to 60000 milliseconds (Binance Spot API, Timing security)");
        }
        RecvWindow = options.RecvWindow;
        _clock = options.TimeProvider ?? TimeProvider.System;
        _apiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
        _secretKey = string.IsNullOrEmpty(secretKey) ? null : Encoding.UTF8.GetBytes(secretKey);
        _api = new ApiPeer("Binance", options.BaseUrl, options.Peer, []);
    }

    /// <summary>
    /// Creates a client whose secret key is kept in usrv's secret store (<see cref="SecretStore.Dump(string, string, string)"/>:
    /// AES-GCM under a key stretched from <paramref name="pin"/>).
    /// </summary>
    /// <param name="apiKey">The API key (not secret: Binance sends it in a header).</param>
    /// <param name="secretPath">The secret file, e.g. <c>SecretStore.DefaultPath("binance.secret")</c>.</param>
    /// <param name="pin">The PIN the secret key was dumped with.</param>
    /// <param name="options">Base URL, recvWindow, clock and peer options.</param>
    /// <exception cref="SecretStoreException">No such file, not a secret file, or a wrong PIN.</exception>
    public static BinanceClient FromSecretStore(string apiKey, string secretPath, string pin, BinanceClientOptions? options = null) =>
        new(apiKey, SecretStore.Load(secretPath, pin), options);

    /// <summary>The API's base URL, ending with <c>/</c>.</summary>
    public Uri BaseAddress => _api.BaseAddress;

    /// <summary>The <c>recvWindow</c> of signed calls, in milliseconds.</summary>
    public long RecvWindow { get; }

    /// <summary>True when both an API key and a secret key are linked (signed calls can be sent).</summary>
    public bool IsLinked => _apiKey is not null && _secretKey is not null;

    /// <summary>Tests connectivity: <c>GET /api/v3/ping</c> (answers <c>{}</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BinanceException">Binance refused the call.</exception>
    public async Task PingAsync(CancellationToken cancellationToken = default) =>
        BinanceJson.EnsureSuccess(
            await SendCoreAsync(HttpMethod.Get, "api/v3/ping", [], signed: false, cancellationToken).ConfigureAwait(false));

    /// <summary>The server's clock: <c>GET /api/v3/time</c> (<c>{"serverTime": 1499827319559}</c>, ms since the Unix epoch).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server time, to the millisecond.</returns>
    /// <exception cref="BinanceException">Binance refused the call.</exception>
    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken cancellationToken = default)
    {
        var time = await SendAsync<JsonElement>(HttpMethod.Get, "api/v3/time", [], signed: false, cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeMilliseconds(time.GetProperty("serverTime").GetInt64());
    }

    /// <summary>
    /// Trading rules: <c>GET /api/v3/exchangeInfo</c>, for every symbol (none named), one (<c>symbol=</c>) or several
    /// (<c>symbols=["A","B"]</c>).
    /// </summary>
    /// <param name="symbols">The symbols to describe; all when <c>null</c> or empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Rate limits, filters and the symbols' rules.</returns>
    /// <exception cref="BinanceException">Binance refused the call: -1121 for a symbol it does not know.</exception>
    public Task<BinanceExchangeInfo> GetExchangeInfoAsync(
        IEnumerable<string>? symbols = null, CancellationToken cancellationToken = default) =>
        SendAsync<BinanceExchangeInfo>(
            HttpMethod.Get, "api/v3/exchangeInfo", SymbolFilter(symbols, singleAsList: false), signed: false, cancellationToken);

    /// <summary>The latest price of one symbol: <c>GET /api/v3/ticker/price?symbol=...</c>.</summary>
    /// <param name="symbol">The symbol, e.g. <c>BTCUSDT</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BinanceException">Binance refused the call: -1121 for a symbol it does not know.</exception>
    public Task<BinanceTickerPrice> GetTickerPriceAsync(string symbol, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return SendAsync<BinanceTickerPrice>(
            HttpMethod.Get, "api/v3/ticker/price", [new("symbol", symbol)], signed: false, cancellationToken);
    }

    /// <summary>The latest prices: <c>GET /api/v3/ticker/price</c> for every symbol, or <c>symbols=["A","B"]</c>.</summary>
    /// <param name="symbols">The symbols; every symbol when <c>null</c> or empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BinanceException">Binance refused the call: -1121 for a symbol it does not know.</exception>
    public Task<IReadOnlyList<BinanceTickerPrice>> GetTickerPricesAsync(
        IEnumerable<string>? symbols = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<BinanceTickerPrice>>(
            HttpMethod.Get, "api/v3/ticker/price", SymbolFilter(symbols, singleAsList: true), signed: false, cancellationToken);

    /// <summary>The order book: <c>GET /api/v3/depth?symbol=...&amp;limit=...</c>.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="limit">
    /// Levels per side, 1 to 5000 (Binance's default: 100; 5, 10, 20, 50, 100, 500, 1000 and 5000 are the documented steps).
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not within 1 to 5000 (nothing was sent).</exception>
    /// <exception cref="BinanceException">Binance refused the call.</exception>
    public Task<BinanceOrderBook> GetOrderBookAsync(string symbol, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        if (limit is < 1 or > 5000)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "the order book depth is 1 to 5000 levels (GET /api/v3/depth)");
        List<KeyValuePair<string, string>> parameters = [new("symbol", symbol)];
        if (limit is { } levels) parameters.Add(new("limit", levels.ToString(CultureInfo.InvariantCulture)));
        return SendAsync<BinanceOrderBook>(HttpMethod.Get, "api/v3/depth", parameters, signed: false, cancellationToken);
    }

    /// <summary>The account's information and balances: <c>GET /api/v3/account</c> (USER_DATA, signed).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">No API key or no secret key is linked (nothing was sent).</exception>
    /// <exception cref="BinanceException">Binance refused the call (-2014/-2015 key, -1021 timestamp, -1022 signature...).</exception>
    public Task<BinanceAccount> GetAccountAsync(CancellationToken cancellationToken = default) =>
        SendAsync<BinanceAccount>(HttpMethod.Get, "api/v3/account", [], signed: true, cancellationToken);

    /// <summary>
    /// Checks a new order without sending it to the matching engine: <c>POST /api/v3/order/test</c> (TRADE, signed; answers <c>{}</c>).
    /// </summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">No API key or no secret key is linked (nothing was sent).</exception>
    /// <exception cref="BinanceException">
    /// Binance refused the order (e.g. -1102 a parameter the type needs is missing, -1121 unknown symbol).
    /// </exception>
    public async Task TestNewOrderAsync(BinanceNewOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        BinanceJson.EnsureSuccess(await SendCoreAsync(
            HttpMethod.Post, "api/v3/order/test", order.ToParameters(), signed: true, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The open orders: <c>GET /api/v3/openOrders</c> (USER_DATA, signed), of one symbol or of all.</summary>
    /// <param name="symbol">The symbol; every symbol when <c>null</c> (Binance weighs that call more).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">No API key or no secret key is linked (nothing was sent).</exception>
    /// <exception cref="BinanceException">Binance refused the call.</exception>
    public Task<IReadOnlyList<BinanceOrder>> GetOpenOrdersAsync(string? symbol = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<BinanceOrder>>(
            HttpMethod.Get, "api/v3/openOrders", symbol is null ? [] : [new("symbol", symbol)], signed: true, cancellationToken);

    /// <summary>
    /// Calls any endpoint and returns its JSON answer: the way to the endpoints this client has no method for.
    /// A signed call adds <c>recvWindow</c>, <c>timestamp</c>, <c>signature</c> and the API key as the typed calls do.
    /// </summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path relative to the base URL, e.g. <c>api/v3/myTrades</c>.</param>
    /// <param name="parameters">Parameters in the order to send them (they go in the query string).</param>
    /// <param name="signed">True for TRADE and USER_DATA endpoints.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The JSON answer.</returns>
    /// <exception cref="InvalidOperationException">A signed call without API key or secret key (nothing was sent).</exception>
    /// <exception cref="BinanceException">Binance refused the call.</exception>
    public Task<JsonElement> SendAsync(
        HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? parameters = null, bool signed = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return SendAsync<JsonElement>(method, path, [.. parameters ?? []], signed, cancellationToken);
    }

    private async Task<T> SendAsync<T>(
        HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> parameters, bool signed,
        CancellationToken cancellationToken)
    {
        var (call, response) = await SendCoreAsync(method, path, parameters, signed, cancellationToken).ConfigureAwait(false);
        return BinanceJson.Read<T>(call, response);
    }

    private async Task<(PeerCall Call, PeerResponse Response)> SendCoreAsync(
        HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> parameters, bool signed,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var query = BinanceQuery.Encode(parameters);
        PeerCall call;
        if (signed)
        {
            var apiKey = _apiKey ?? throw new InvalidOperationException(
                $"no Binance API key is linked: {method} /{path.TrimStart('/')} is a signed endpoint, "
                + $"which needs the API key (sent as {ApiKeyHeader}) and its secret key; "
                + "pass them to new BinanceClient(apiKey, secretKey) or use BinanceClient.FromSecretStore(apiKey, path, pin); "
                + "nothing was sent");
            var secretKey = _secretKey ?? throw new InvalidOperationException(
                $"no Binance secret key is linked: {method} /{path.TrimStart('/')} is a signed endpoint, "
                + "signed with HMAC-SHA256 under the secret key; "
                + "pass it to new BinanceClient(apiKey, secretKey) or load it with BinanceClient.FromSecretStore(apiKey, path, pin); "
                + "nothing was sent");
            var timestamp = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var totalParams = (query.Length == 0 ? "" : query + "&")
                + "recvWindow=" + RecvWindow.ToString(CultureInfo.InvariantCulture)
                + "&timestamp=" + timestamp.ToString(CultureInfo.InvariantCulture);
            call = _api.Call(method, path + "?" + totalParams + "&signature=" + BinanceSignature.Compute(secretKey, totalParams));
            call.Headers[ApiKeyHeader] = apiKey;
        }
        else
        {
            call = _api.Call(method, query.Length == 0 ? path : path + "?" + query);
        }
        var response = await _api.SendAsync(call, cancellationToken).ConfigureAwait(false);
        return (call, response);
    }

    private static List<KeyValuePair<string, string>> SymbolFilter(IEnumerable<string>? symbols, bool singleAsList)
    {
        var list = symbols?.ToList() ?? [];
        if (list.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("a symbol is blank", nameof(symbols));
        return list.Count switch
        {
            0 => [],
            1 when !singleAsList => [new("symbol", list[0])],
            _ => [new("symbols", BinanceQuery.SymbolList(list))],
        };
    }

    /// <summary>Releases the pooled connections and wipes the secret key's bytes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _api.Dispose();
        if (_secretKey is not null) CryptographicOperations.ZeroMemory(_secretKey);
    }
}
