using Usrv.Plugins.Binance;
using Usrv.Route.Client;

namespace Usrv.Plugins.Tests;

/// <summary>A Binance imitation served on loopback, with its clock, and <see cref="BinanceClient"/>s pointed at it.</summary>
public sealed class BinanceScene : IAsyncDisposable
{
    /// <summary>The API key of Binance's documented signing example.</summary>
    public const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    /// <summary>The secret key of Binance's documented signing example.</summary>
    public const string SecretKey = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    /// <summary>The server's time in every scene: 2024-05-01T12:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private BinanceScene(BinanceImitation imitation, LocalServer server, string baseUrl, FakeClock clock)
    {
        Imitation = imitation;
        Server = server;
        BaseUrl = baseUrl;
        ServerClock = clock;
    }

    /// <summary>The imitation (its request log).</summary>
    public BinanceImitation Imitation { get; }

    /// <summary>The server.</summary>
    public LocalServer Server { get; }

    /// <summary>The base URL a client takes.</summary>
    public string BaseUrl { get; }

    /// <summary>The server's clock, at <see cref="Now"/> (unless the scene runs on the system clock).</summary>
    public FakeClock ServerClock { get; }

    /// <summary>Starts an imitation (endpoints under <paramref name="prefix"/>) on a free port.</summary>
    /// <param name="prefix">A path prefix for every endpoint.</param>
    /// <param name="systemClock">True to run the server on the real clock (for clients on <see cref="TimeProvider.System"/>).</param>
    public static async Task<BinanceScene> StartAsync(string prefix = "", bool systemClock = false)
    {
        var clock = new FakeClock(Now);
        var imitation = new BinanceImitation(ApiKey, SecretKey, systemClock ? TimeProvider.System : clock, prefix);
        var server = await LocalServer.StartAsync(imitation.Router);
        return new BinanceScene(imitation, server, server.Url.ToString().TrimEnd('/') + prefix, clock);
    }

    /// <summary>Options for a client of this imitation: its base URL, a clock at <paramref name="clientTime"/> (the server's by default), a 5 s timeout.</summary>
    public BinanceClientOptions Options(DateTimeOffset? clientTime = null, long recvWindow = 5000) => new()
    {
        BaseUrl = BaseUrl,
        TimeProvider = new FakeClock(clientTime ?? Now),
        RecvWindow = recvWindow,
        Peer = new PeerOptions { Timeout = TimeSpan.FromSeconds(5) },
    };

    /// <summary>A client with the given credentials (the right ones by default).</summary>
    public BinanceClient Client(string? apiKey = ApiKey, string? secretKey = SecretKey, DateTimeOffset? clientTime = null, long recvWindow = 5000) =>
        new(apiKey, secretKey, Options(clientTime, recvWindow));

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
