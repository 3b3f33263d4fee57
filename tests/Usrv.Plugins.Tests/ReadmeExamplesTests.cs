using Usrv.Crypto;
using Usrv.Plugins.Binance;
using Usrv.Plugins.Pinata;

namespace Usrv.Plugins.Tests;

/// <summary>
/// The examples of README.md's "Plugins" section, run as written against the imitations. Each block between
/// "// README" and "// END" is the README's text; the lines around it set up the variables the README takes as given
/// (jwt, apiKey, secretKey, baseUrl, path, pin) and check the outcome.
/// </summary>
public sealed class ReadmeExamplesTests
{
    [Fact]
    public async Task Pinata_pin_update_list_unpin()
    {
        await using var scene = await PinataScene.StartAsync();
        string jwt = PinataScene.Jwt, baseUrl = scene.BaseUrl;
        var path = Path.Combine(Path.GetTempPath(), $"usrv-readme-{Guid.NewGuid():N}.pdf");
        await File.WriteAllTextAsync(path, "%PDF-1.7 quarterly report");
        try
        {
            // README
            using var pinata = new PinataClient(jwt, baseUrl);   // baseUrl defaults to https://api.pinata.cloud

            PinResult pin = await pinata.PinFileAsync(path,       // multipart: file + pinataMetadata + pinataOptions {"cidVersion":1}
                new PinataMetadata("report", new Dictionary<string, object?> { ["year"] = 2024 }));
            PinResult json = await pinata.PinJsonAsync(new { title = "report", pages = 12 });

            await pinata.UpdateMetadataAsync(pin.IpfsHash,
                new PinataMetadata(KeyValues: new Dictionary<string, object?> { ["final"] = "yes" }));

            PinList page = await pinata.ListPinsAsync(new PinListQuery
            {
                Status = PinStatusFilter.Pinned,
                MetadataKeyValues = new Dictionary<string, PinataKeyValueFilter> { ["year"] = new(2024, "gte") },
            });

            await pinata.UnpinAsync(json.IpfsHash);
            // END

            Assert.StartsWith("bafkrei", pin.IpfsHash);
            var row = Assert.Single(page.Rows);
            Assert.Equal(pin.IpfsHash, row.IpfsPinHash);
            Assert.Equal("yes", row.Metadata!.KeyValues!["final"].GetString());
            Assert.NotNull(scene.Imitation.Pins.Single(p => p.Cid == json.IpfsHash).DateUnpinned);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Pinata_errors()
    {
        await using var scene = await PinataScene.StartAsync();
        string jwt = PinataScene.Jwt, baseUrl = scene.BaseUrl;
        string cid = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
        using var pinata = new PinataClient(jwt, baseUrl);
        string? reason = null, missing = null;

        // README
        try
        {
            await pinata.UnpinAsync(cid);
        }
        catch (PinataException e) when (e.Status == 400)
        {
            reason = e.Reason;        // "CURRENT_USER_HAS_NOT_PINNED_CID"; e.Details: "The current user has not pinned the cid: ..."
        }

        using var anonymous = new PinataClient(jwt: null, baseUrl);
        try
        {
            await anonymous.ListPinsAsync();
        }
        catch (InvalidOperationException e)
        {
            missing = e.Message;      // "no Pinata JWT is linked: pass the JWT ...; nothing was sent"
        }
        // END

        Assert.Equal("CURRENT_USER_HAS_NOT_PINNED_CID", reason);
        Assert.Contains("nothing was sent", missing);
        Assert.Equal(1, scene.Imitation.Requests);
    }

    [Fact]
    public async Task Pinata_jwt_from_the_secret_store()
    {
        await using var scene = await PinataScene.StartAsync();
        string jwt = PinataScene.Jwt, baseUrl = scene.BaseUrl, pin = "1234";
        var path = Path.Combine(Path.GetTempPath(), $"usrv-readme-{Guid.NewGuid():N}.jwt"); // e.g. SecretStore.DefaultPath("pinata.jwt")
        try
        {
            // README
            SecretStore.Dump(path, jwt, pin);                                 // once
            using var pinata = PinataClient.FromSecretStore(path, pin, baseUrl);
            PinList pins = await pinata.ListPinsAsync();
            // END

            Assert.Equal(0, pins.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Binance_market_data_and_signed_calls()
    {
        await using var scene = await BinanceScene.StartAsync(systemClock: true);
        string apiKey = BinanceScene.ApiKey, secretKey = BinanceScene.SecretKey, baseUrl = scene.BaseUrl;

        // README
        using var binance = new BinanceClient(apiKey, secretKey,
            new BinanceClientOptions { BaseUrl = baseUrl });          // https://api.binance.com by default

        DateTimeOffset serverTime = await binance.GetServerTimeAsync();
        BinanceTickerPrice btc = await binance.GetTickerPriceAsync("BTCUSDT");
        BinanceOrderBook book = await binance.GetOrderBookAsync("BTCUSDT", limit: 5);
        BinanceExchangeInfo info = await binance.GetExchangeInfoAsync(["BTCUSDT", "ETHBTC"]);

        // Signed: ...&recvWindow=5000&timestamp=<ms>&signature=<hex HMAC-SHA256>, and X-MBX-APIKEY
        BinanceAccount account = await binance.GetAccountAsync();
        await binance.TestNewOrderAsync(new BinanceNewOrder("BTCUSDT", BinanceOrderSide.Buy, BinanceOrderType.Limit)
        {
            TimeInForce = BinanceTimeInForce.Gtc, Quantity = 0.001m, Price = 25000m,
        });
        IReadOnlyList<BinanceOrder> open = await binance.GetOpenOrdersAsync("BTCUSDT");
        // END

        Assert.True(Math.Abs((serverTime - DateTimeOffset.UtcNow).TotalSeconds) < 60);
        Assert.Equal(64123.45m, btc.Price);
        Assert.Equal(5, book.Bids.Count);
        Assert.Equal(2, info.Symbols.Count);
        Assert.NotEmpty(account.Balances);
        Assert.Equal(2, open.Count);
        Assert.Contains(scene.Imitation.Targets, t =>
            t.StartsWith("/api/v3/order/test?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=25000&recvWindow=5000&timestamp=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Binance_errors()
    {
        await using var scene = await BinanceScene.StartAsync();
        string apiKey = BinanceScene.ApiKey, secretKey = BinanceScene.SecretKey, baseUrl = scene.BaseUrl;
        TimeProvider clock = new FakeClock(BinanceScene.Now.AddSeconds(-6)); // a client clock 6 s late
        string? problem = null, missing = null;

        // README
        var options = new BinanceClientOptions { BaseUrl = baseUrl, RecvWindow = 5000, TimeProvider = clock };
        using var binance = new BinanceClient(apiKey, secretKey, options);
        try
        {
            await binance.GetAccountAsync();
        }
        catch (BinanceException e) when (e.Code == -1021)
        {
            problem = e.Msg;          // "Timestamp for this request is outside of the recvWindow." (e.Status 400)
        }

        using var marketDataOnly = new BinanceClient(options: options);     // no key: market data only
        try
        {
            await marketDataOnly.GetAccountAsync();
        }
        catch (InvalidOperationException e)
        {
            missing = e.Message;      // "no Binance API key is linked: ... (sent as X-MBX-APIKEY) ...; nothing was sent"
        }
        // END

        Assert.Equal("Timestamp for this request is outside of the recvWindow.", problem);
        Assert.Contains("nothing was sent", missing);
        Assert.Equal(1, scene.Imitation.Requests);
    }

    [Fact]
    public async Task Binance_secret_from_the_secret_store()
    {
        await using var scene = await BinanceScene.StartAsync(systemClock: true);
        string apiKey = BinanceScene.ApiKey, secretKey = BinanceScene.SecretKey, baseUrl = scene.BaseUrl, pin = "1234";
        var path = Path.Combine(Path.GetTempPath(), $"usrv-readme-{Guid.NewGuid():N}.secret"); // e.g. SecretStore.DefaultPath("binance.secret")
        try
        {
            // README
            SecretStore.Dump(path, secretKey, pin);                           // once
            using var binance = BinanceClient.FromSecretStore(apiKey, path, pin,
                new BinanceClientOptions { BaseUrl = baseUrl });
            BinanceAccount account = await binance.GetAccountAsync();
            // END

            Assert.Equal("SPOT", account.AccountType);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
