using System.Text;
using Usrv.Plugins.Binance;

namespace Usrv.Plugins.Tests;

/// <summary>The signature against Binance's documented example (Binance Spot API, "SIGNED Endpoint Examples for POST /api/v3/order").</summary>
public sealed class BinanceSignatureTests
{
    private const string TotalParams = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";

    [Fact]
    public void The_documented_example_signs_to_the_documented_hex()
    {
        Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", BinanceSignature.Compute(BinanceScene.SecretKey, TotalParams));
    }

    [Fact]
    public void Bytes_and_text_secrets_sign_alike_in_lowercase_hex()
    {
        var fromBytes = BinanceSignature.Compute(Encoding.UTF8.GetBytes(BinanceScene.SecretKey), TotalParams);

        Assert.Equal(BinanceSignature.Compute(BinanceScene.SecretKey, TotalParams), fromBytes);
        Assert.Matches("^[0-9a-f]{64}$", fromBytes);
    }

    [Fact]
    public void The_mixed_query_and_body_example_signs_their_concatenation()
    {
        // Example 3: query "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC", body "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        Assert.Equal("0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77",
            BinanceSignature.Compute(BinanceScene.SecretKey, "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC" + "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"));
    }
}
