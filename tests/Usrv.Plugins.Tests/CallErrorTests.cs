using System.Net;
using Usrv.Plugins.Binance;
using Usrv.Plugins.Pinata;
using Usrv.Route.Client;

namespace Usrv.Plugins.Tests;

/// <summary>
/// One error model: a refusal by Pinata or Binance is a <see cref="UsrvCallException"/>, its status, title, detail and
/// body read from the answer as <see cref="ErrorBody"/> reads them, whatever client made the call.
/// </summary>
public sealed class CallErrorTests
{
    private const string Cid = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

    [Fact]
    public async Task A_Pinata_refusal_is_caught_as_a_UsrvCallException_with_status_and_detail()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        var e = await Assert.ThrowsAnyAsync<UsrvCallException>(() => pinata.UnpinAsync(Cid));

        var pinataError = Assert.IsType<PinataException>(e);
        Assert.Equal(400, e.Status);
        Assert.Equal("CURRENT_USER_HAS_NOT_PINNED_CID", e.Title);
        Assert.Equal($"The current user has not pinned the cid: {Cid}", e.Detail);
        Assert.Equal((e.Title, e.Detail), (pinataError.Reason, pinataError.Details));
        Assert.False(e.IsAuthenticated); // a third-party API neither seals nor signs
        var body = Assert.IsType<Dictionary<string, object?>>(e.Body);
        Assert.True(body.ContainsKey("error"));
    }

    [Fact]
    public async Task A_Binance_refusal_is_caught_as_a_UsrvCallException_with_status_and_detail()
    {
        await using var scene = await BinanceScene.StartAsync();
        using var binance = scene.Client();

        var e = await Assert.ThrowsAnyAsync<UsrvCallException>(() => binance.GetTickerPriceAsync("DOGEMOON"));

        var binanceError = Assert.IsType<BinanceException>(e);
        Assert.Equal(400, e.Status);
        Assert.Equal("Bad Request", e.Title);
        Assert.Equal("Invalid symbol.", e.Detail);
        Assert.Equal(-1121, binanceError.Code);
        Assert.Equal(e.Detail, binanceError.Msg);
        var body = Assert.IsType<Dictionary<string, object?>>(e.Body);
        Assert.Equal(-1121L, body["code"]);
    }

    [Fact]
    public async Task One_catch_takes_the_refusals_of_every_client()
    {
        await using var pinataScene = await PinataScene.StartAsync();
        await using var binanceScene = await BinanceScene.StartAsync();
        using var pinata = pinataScene.Client();
        using var binance = binanceScene.Client();
        var statuses = new List<int>();

        foreach (var call in new Func<Task>[] { () => pinata.UnpinAsync(Cid), () => binance.GetTickerPriceAsync("DOGEMOON") })
        {
            try
            {
                await call();
            }
            catch (UsrvCallException e)
            {
                statuses.Add(e.Status);
            }
        }

        Assert.Equal([400, 400], statuses);
    }

    [Fact]
    public async Task An_over_long_page_is_cut_to_500_characters_in_both_clients()
    {
        var page = "<html><body>" + new string('w', 3000) + "</body></html>";
        using var pinata = new PinataClient("jwt", "http://pinata.test", Answering(HttpStatusCode.BadGateway, page, "text/html"));
        var binanceOptions = new BinanceClientOptions
        {
            BaseUrl = "http://binance.test", Peer = Answering(HttpStatusCode.TooManyRequests, page, "text/html"),
        };
        using var binance = new BinanceClient(options: binanceOptions);

        var pinataError = await Assert.ThrowsAsync<PinataException>(() => pinata.ListPinsAsync());
        var binanceError = await Assert.ThrowsAsync<BinanceException>(() => binance.PingAsync());

        Assert.Equal(page[..500] + "...", pinataError.Details);
        Assert.Equal("Bad Gateway", pinataError.Reason);
        Assert.Equal(page[..500] + "...", binanceError.Msg);
        Assert.Equal((429, 0), (binanceError.Status, binanceError.Code));
    }

    [Fact]
    public async Task A_binary_error_body_gives_no_text_in_both_clients()
    {
        byte[] binary = [0x00, 0xFF, 0xFE, 0x01, 0x80];
        using var pinata = new PinataClient("jwt", "http://pinata.test", Answering(HttpStatusCode.ServiceUnavailable, binary));
        var binanceOptions = new BinanceClientOptions
        {
            BaseUrl = "http://binance.test", Peer = Answering(HttpStatusCode.ServiceUnavailable, binary),
        };
        using var binance = new BinanceClient(options: binanceOptions);

        var pinataError = await Assert.ThrowsAsync<PinataException>(() => pinata.ListPinsAsync());
        var binanceError = await Assert.ThrowsAsync<BinanceException>(() => binance.PingAsync());

        Assert.Equal(("Service Unavailable", null), (pinataError.Reason, pinataError.Details));
        Assert.Equal((0, "Service Unavailable"), (binanceError.Code, binanceError.Msg));
        Assert.Equal(binary, pinataError.Body);
        Assert.Equal(binary, binanceError.Body);
    }

    private static PeerOptions Answering(HttpStatusCode status, string body, string contentType) =>
        new() { Handler = new FixedAnswer(status, () => new StringContent(body, System.Text.Encoding.UTF8, contentType)) };

    private static PeerOptions Answering(HttpStatusCode status, byte[] body) =>
        new() { Handler = new FixedAnswer(status, () => new ByteArrayContent(body)) };

    private sealed class FixedAnswer(HttpStatusCode status, Func<HttpContent> content) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = content() });
    }
}
