using System.Text;
using System.Text.Json;

namespace Usrv.Plugins.Tests;

/// <summary>The Binance imitation checks what Binance checks, seen from a plain HttpClient (Binance's own examples).</summary>
public sealed class BinanceImitationTests
{
    // Binance's documented example (Binance Spot API, "SIGNED Endpoint Examples for POST /api/v3/order"), sent to order/test.
    private const string ExampleParams = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    private const string ExampleSignature = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
    private static readonly DateTimeOffset ExampleTime = DateTimeOffset.FromUnixTimeMilliseconds(1499827319559);

    private static async Task<(int Status, JsonElement Body)> SendAsync(BinanceScene scene, HttpMethod method, string target, string? apiKey = BinanceScene.ApiKey, HttpContent? body = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(scene.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(method, target) { Content = body };
        if (apiKey is not null) request.Headers.Add("X-MBX-APIKEY", apiKey);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<BinanceScene> ExampleSceneAsync()
    {
        var scene = await BinanceScene.StartAsync();
        scene.ServerClock.Now = ExampleTime.AddMilliseconds(300); // the example's request arrives 300 ms after it was made
        return scene;
    }

    [Fact]
    public async Task The_documented_query_string_example_is_accepted()
    {
        await using var scene = await ExampleSceneAsync();

        var (status, body) = await SendAsync(scene, HttpMethod.Post, $"api/v3/order/test?{ExampleParams}&signature={ExampleSignature}");

        Assert.Equal(200, status);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
    }

    [Fact]
    public async Task The_documented_mixed_query_and_body_example_is_accepted()
    {
        await using var scene = await ExampleSceneAsync();
        var body = new StringContent("quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77",
            Encoding.ASCII, "application/x-www-form-urlencoded");

        var (status, _) = await SendAsync(scene, HttpMethod.Post, "api/v3/order/test?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC", body: body);

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task The_signature_is_not_case_sensitive()
    {
        await using var scene = await ExampleSceneAsync();

        var (status, _) = await SendAsync(scene, HttpMethod.Post, $"api/v3/order/test?{ExampleParams}&signature={ExampleSignature.ToUpperInvariant()}");

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task A_parameter_changed_after_signing_is_minus_1022()
    {
        await using var scene = await ExampleSceneAsync();

        var (status, body) = await SendAsync(scene, HttpMethod.Post, $"api/v3/order/test?{ExampleParams.Replace("quantity=1", "quantity=100")}&signature={ExampleSignature}");

        Assert.Equal(400, status);
        Assert.Equal(-1022, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_same_parameters_in_another_order_are_minus_1022()
    {
        // Equal as a set of parameters, but another text: only the exact text sent is signed.
        await using var scene = await ExampleSceneAsync();

        var (status, body) = await SendAsync(scene, HttpMethod.Post, $"api/v3/order/test?{ExampleParams.Replace("symbol=LTCBTC&side=BUY", "side=BUY&symbol=LTCBTC")}&signature={ExampleSignature}");

        Assert.Equal(400, status);
        Assert.Equal(-1022, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_missing_api_key_is_401_minus_2014()
    {
        await using var scene = await ExampleSceneAsync();

        var (status, body) = await SendAsync(scene, HttpMethod.Post, $"api/v3/order/test?{ExampleParams}&signature={ExampleSignature}", apiKey: null);

        Assert.Equal(401, status);
        Assert.Equal(-2014, body.GetProperty("code").GetInt32());
        Assert.Equal("API-key format invalid.", body.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task A_missing_signature_or_timestamp_is_minus_1102()
    {
        await using var scene = await ExampleSceneAsync();

        var (status, body) = await SendAsync(scene, HttpMethod.Post, $"api/v3/order/test?{ExampleParams}");
        Assert.Equal(400, status);
        Assert.Equal("Mandatory parameter 'signature' was not sent, was empty/null, or malformed.", body.GetProperty("msg").GetString());

        (status, body) = await SendAsync(scene, HttpMethod.Get, "api/v3/account?recvWindow=5000&signature=00");
        Assert.Equal(400, status);
        Assert.Equal(-1102, body.GetProperty("code").GetInt32());
        Assert.Contains("'timestamp'", body.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Market_data_needs_no_key_and_checks_its_parameters()
    {
        await using var scene = await BinanceScene.StartAsync();

        var (status, body) = await SendAsync(scene, HttpMethod.Get, "api/v3/depth", apiKey: null);
        Assert.Equal(400, status);
        Assert.Equal("Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.", body.GetProperty("msg").GetString());

        (status, body) = await SendAsync(scene, HttpMethod.Get, "api/v3/time", apiKey: null);
        Assert.Equal(200, status);
        Assert.Equal(BinanceScene.Now.ToUnixTimeMilliseconds(), body.GetProperty("serverTime").GetInt64());
    }
}
