using System.Text.Json;
using Usrv.Plugins.Binance;

namespace Usrv.Plugins.Tests;

/// <summary>The Binance client against the imitation: market data, signed calls, Binance's errors, and the key rules.</summary>
public sealed class BinanceClientTests
{
    private static readonly long NowMs = BinanceScene.Now.ToUnixTimeMilliseconds();

    [Fact]
    public async Task Ping_and_server_time()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client(apiKey: null, secretKey: null); // market data needs no key

        await binance.PingAsync();
        Assert.Equal(BinanceScene.Now, await binance.GetServerTimeAsync());
        Assert.All(scene.Imitation.ApiKeys, Assert.Null); // public calls carry no API key
    }

    [Fact]
    public async Task Exchange_info_for_all_one_or_several_symbols()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        var all = await binance.GetExchangeInfoAsync();
        Assert.Equal("UTC", all.Timezone);
        Assert.Equal(NowMs, all.ServerTime);
        Assert.Equal(4, all.Symbols.Count);
        Assert.Contains(all.RateLimits, l => l.RateLimitType == "REQUEST_WEIGHT" && l.Limit == 6000);

        var one = Assert.Single((await binance.GetExchangeInfoAsync(["ETHBTC"])).Symbols);
        Assert.Equal(("ETH", "BTC", "TRADING"), (one.BaseAsset, one.QuoteAsset, one.Status));
        Assert.Contains("LIMIT", one.OrderTypes);
        Assert.Equal("PRICE_FILTER", one.Filters[0].GetProperty("filterType").GetString());

        var two = await binance.GetExchangeInfoAsync(["BTCUSDT", "BNBBTC"]);
        Assert.Equal(["BTCUSDT", "BNBBTC"], two.Symbols.Select(s => s.Symbol));
        Assert.Equal("/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22%2C%22BNBBTC%22%5D", scene.Imitation.Targets.Last());
    }

    [Fact]
    public async Task Ticker_price_of_one_symbol_of_several_or_of_all()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        BinanceTickerPrice eth = await binance.GetTickerPriceAsync("ETHBTC");
        Assert.Equal(new BinanceTickerPrice("ETHBTC", 0.079466m), eth);

        var all = await binance.GetTickerPricesAsync();
        Assert.Equal(4, all.Count);
        Assert.Equal(64123.45m, all.Single(p => p.Symbol == "BTCUSDT").Price);

        var some = await binance.GetTickerPricesAsync(["BNBBTC"]);
        Assert.Equal(0.008123m, Assert.Single(some).Price);
    }

    [Fact]
    public async Task An_unknown_symbol_is_BinanceException_400_minus_1121()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        var e = await Assert.ThrowsAsync<BinanceException>(() => binance.GetTickerPriceAsync("DOGEMOON"));

        Assert.Equal(400, e.Status);
        Assert.Equal(-1121, e.Code);
        Assert.Equal("Invalid symbol.", e.Msg);
        Assert.Equal("Binance GET /api/v3/ticker/price answered 400: -1121 Invalid symbol.", e.Message);
    }

    [Fact]
    public async Task Order_book_with_a_limit_and_with_Binance_default()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        var book = await binance.GetOrderBookAsync("BTCUSDT", limit: 5);
        Assert.Equal(1027024, book.LastUpdateId);
        Assert.Equal(5, book.Bids.Count);
        Assert.Equal(5, book.Asks.Count);
        Assert.True(book.Bids[0].Price > book.Bids[1].Price);   // best bid first
        Assert.True(book.Asks[0].Price < book.Asks[1].Price);   // best ask first
        Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        Assert.Equal(0.5m, book.Bids[0].Quantity);
        Assert.Equal("/api/v3/depth?symbol=BTCUSDT&limit=5", scene.Imitation.Targets.Last());

        await binance.GetOrderBookAsync("BTCUSDT");
        Assert.Equal("/api/v3/depth?symbol=BTCUSDT", scene.Imitation.Targets.Last());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => binance.GetOrderBookAsync("BTCUSDT", limit: 5001));
    }

    [Fact]
    public async Task Account_is_signed_with_recvWindow_timestamp_signature_and_the_api_key()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        BinanceAccount account = await binance.GetAccountAsync();

        Assert.True(account.CanTrade);
        Assert.Equal("SPOT", account.AccountType);
        Assert.Equal(4723846.89208129m, account.Balances.Single(b => b.Asset == "BTC").Free);
        Assert.Equal(12.25m, account.Balances.Single(b => b.Asset == "USDT").Locked);
        var signedText = $"recvWindow=5000&timestamp={NowMs}";
        Assert.Equal($"/api/v3/account?{signedText}&signature={BinanceSignature.Compute(BinanceScene.SecretKey, signedText)}", scene.Imitation.Targets.Last());
        Assert.Equal(BinanceScene.ApiKey, scene.Imitation.ApiKeys.Last());
    }

    [Fact]
    public async Task Test_new_order_puts_every_parameter_in_the_signed_query()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        await binance.TestNewOrderAsync(new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Buy, BinanceOrderType.Limit)
        {
            TimeInForce = BinanceTimeInForce.Gtc,
            Quantity = 0.00100m,
            Price = 25000.0m,
        });

        var signedText = $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=25000&recvWindow=5000&timestamp={NowMs}";
        Assert.Equal($"/api/v3/order/test?{signedText}&signature={BinanceSignature.Compute(BinanceScene.SecretKey, signedText)}", scene.Imitation.Targets.Last());
    }

    [Fact]
    public async Task Test_new_order_market_by_quote_quantity_passes()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        await binance.TestNewOrderAsync(new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Sell, BinanceOrderType.Market) { QuoteOrderQuantity = 100m });

        Assert.Contains("side=SELL&type=MARKET&quoteOrderQty=100&", scene.Imitation.Targets.Last());
    }

    [Fact]
    public async Task A_limit_order_without_price_is_minus_1102_naming_price()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        var e = await Assert.ThrowsAsync<BinanceException>(() => binance.TestNewOrderAsync(
            new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Buy, BinanceOrderType.Limit) { TimeInForce = BinanceTimeInForce.Gtc, Quantity = 1m }));

        Assert.Equal((400, -1102), (e.Status, e.Code));
        Assert.Equal("Mandatory parameter 'price' was not sent, was empty/null, or malformed.", e.Msg);
    }

    [Fact]
    public async Task A_market_order_without_any_quantity_is_minus_1102()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        var e = await Assert.ThrowsAsync<BinanceException>(() => binance.TestNewOrderAsync(new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Buy, BinanceOrderType.Market)));

        Assert.Equal(-1102, e.Code);
        Assert.Equal("Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!", e.Msg);
    }

    [Fact]
    public async Task Open_orders_of_all_symbols_or_of_one()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        Assert.Equal(3, (await binance.GetOpenOrdersAsync()).Count);
        var btc = await binance.GetOpenOrdersAsync("BTCUSDT");
        Assert.Equal([1L, 2L], btc.Select(o => o.OrderId));
        Assert.Equal(60000m, btc[0].Price);
        Assert.Equal(("NEW", "LIMIT", "BUY", -1L), (btc[0].Status, btc[0].Type, btc[0].Side, btc[0].OrderListId));
        Assert.StartsWith("/api/v3/openOrders?symbol=BTCUSDT&recvWindow=5000&timestamp=", scene.Imitation.Targets.Last());
    }

    [Fact]
    public async Task A_wrong_secret_is_minus_1022()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client(secretKey: "not-the-secret-key");

        var e = await Assert.ThrowsAsync<BinanceException>(() => binance.GetAccountAsync());

        Assert.Equal((400, -1022), (e.Status, e.Code));
        Assert.Equal("Signature for this request is not valid.", e.Msg);
        Assert.DoesNotContain("not-the-secret-key", e.Message);
        Assert.DoesNotContain("signature=", e.Message);
    }

    [Fact]
    public async Task A_stale_timestamp_is_minus_1021_and_a_wider_recvWindow_accepts_it()
    {
        await using var scene = await BinanceScene.StartAsync();
        var sixSecondsLate = BinanceScene.Now.AddSeconds(-6);
        using var binance = scene.Client(clientTime: sixSecondsLate);

        var e = await Assert.ThrowsAsync<BinanceException>(() => binance.GetAccountAsync());
        Assert.Equal((400, -1021), (e.Status, e.Code));
        Assert.Equal("Timestamp for this request is outside of the recvWindow.", e.Msg);

        using var patient = scene.Client(clientTime: sixSecondsLate, recvWindow: 10_000);
        await patient.GetAccountAsync();
        Assert.Contains("recvWindow=10000&", scene.Imitation.Targets.Last());
    }

    [Fact]
    public async Task A_timestamp_1000ms_ahead_of_the_server_is_minus_1021()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client(clientTime: BinanceScene.Now.AddMilliseconds(1000));

        var e = await Assert.ThrowsAsync<BinanceException>(() => binance.GetOpenOrdersAsync());

        Assert.Equal(-1021, e.Code);
        Assert.Equal("Timestamp for this request was 1000ms ahead of the server's time.", e.Msg);
        using var justInTime = scene.Client(clientTime: BinanceScene.Now.AddMilliseconds(999));
        await justInTime.GetOpenOrdersAsync();
    }

    [Fact]
    public async Task An_unknown_api_key_is_401_minus_2015()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client(apiKey: "someone-elses-key");

        var e = await Assert.ThrowsAsync<BinanceException>(() => binance.GetAccountAsync());

        Assert.Equal((401, -2015), (e.Status, e.Code));
        Assert.Equal("Invalid API-key, IP, or permissions for action.", e.Msg);
    }

    [Fact]
    public async Task Without_api_key_or_secret_signed_calls_throw_before_any_request()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var noKey = scene.Client(apiKey: null);
        using var noSecret = scene.Client(secretKey: null);
        var order = new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Buy, BinanceOrderType.Market) { Quantity = 1m };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => noKey.GetAccountAsync());
        Assert.Contains("no Binance API key is linked", e.Message);
        Assert.Contains("X-MBX-APIKEY", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => noKey.TestNewOrderAsync(order));
        await Assert.ThrowsAsync<InvalidOperationException>(() => noKey.GetOpenOrdersAsync());
        e = await Assert.ThrowsAsync<InvalidOperationException>(() => noSecret.GetAccountAsync());
        Assert.Contains("no Binance secret key is linked", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => noSecret.TestNewOrderAsync(order));
        await Assert.ThrowsAsync<InvalidOperationException>(() => noSecret.GetOpenOrdersAsync());
        Assert.False(noKey.IsLinked);
        Assert.False(noSecret.IsLinked);
        Assert.Equal(0, scene.Imitation.Requests);

        await noSecret.PingAsync(); // market data still works
        Assert.Equal(1, scene.Imitation.Requests);
    }

    [Fact]
    public async Task An_injected_handler_sees_no_request_for_a_signed_call_without_a_secret()
    {
        await using var scene = await BinanceScene.StartAsync();
        var handler = new CountingHandler();
        var options = scene.Options();
        options.Peer = new Usrv.Route.Client.PeerOptions { Handler = handler, Timeout = TimeSpan.FromSeconds(5) };
        using var binance = new BinanceClient(BinanceScene.ApiKey, secretKey: null, options);

        await Assert.ThrowsAsync<InvalidOperationException>(() => binance.GetOpenOrdersAsync());
        Assert.Equal(0, handler.Count);
        await binance.GetTickerPriceAsync("BTCUSDT");
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task A_missing_secret_is_reported_even_against_a_closed_port()
    {
        // Nothing listens there: sending would be an HttpRequestException, not this.
        using var binance = new BinanceClient(BinanceScene.ApiKey, null, new BinanceClientOptions { BaseUrl = $"http://127.0.0.1:{LocalServer.FreePort()}" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => binance.GetAccountAsync());
        await Assert.ThrowsAsync<HttpRequestException>(() => binance.PingAsync());
    }

    [Fact]
    public async Task The_secret_key_can_come_from_usrv_secret_store()
    {
        await using var scene = await BinanceScene.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"usrv-binance-{Guid.NewGuid():N}.secret");
        try
        {
            Usrv.Crypto.SecretStore.Dump(path, BinanceScene.SecretKey, "2468");

            using var binance = BinanceClient.FromSecretStore(BinanceScene.ApiKey, path, "2468", scene.Options());
            Assert.True(binance.IsLinked);
            Assert.Equal(2, (await binance.GetOpenOrdersAsync("BTCUSDT")).Count);
            Assert.Throws<Usrv.Crypto.SecretStoreException>(() => BinanceClient.FromSecretStore(BinanceScene.ApiKey, path, "8642", scene.Options()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Any_endpoint_through_SendAsync_public_or_signed()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        JsonElement price = await binance.SendAsync(HttpMethod.Get, "api/v3/ticker/price", [new("symbol", "BTCUSDT")]);
        Assert.Equal("64123.45000000", price.GetProperty("price").GetString());

        JsonElement account = await binance.SendAsync(HttpMethod.Get, "api/v3/account", signed: true);
        Assert.Equal("SPOT", account.GetProperty("accountType").GetString());
    }

    [Fact]
    public async Task A_base_url_with_a_path_keeps_it_as_a_prefix()
    {
        await using var scene = await BinanceScene.StartAsync(prefix: "/binance");
        using var binance = scene.Client();

        await binance.GetAccountAsync();

        Assert.StartsWith("/binance/api/v3/account?recvWindow=5000&", scene.Imitation.Targets.Last());
    }

    [Fact]
    public void Options_are_checked_when_the_client_is_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinanceClient(options: new BinanceClientOptions { RecvWindow = 60_001 }));
        Assert.Throws<ArgumentException>(() => new BinanceClient(options: new BinanceClientOptions { BaseUrl = "api.binance.com" }));
        using var binance = new BinanceClient();
        Assert.Equal(new Uri("https://api.binance.com/"), binance.BaseAddress);
        Assert.Equal(5000, binance.RecvWindow);
    }

    [Fact]
    public async Task A_disposed_client_refuses_calls()
    {
        await using var scene = await BinanceScene.StartAsync();
        var binance = scene.Client();
        binance.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => binance.GetAccountAsync());
        Assert.Equal(0, scene.Imitation.Requests);
    }
}
