using Usrv.Plugins.Pinata;
using Usrv.Route.Client;

namespace Usrv.Plugins.Tests;

/// <summary>A Pinata imitation served on loopback and a <see cref="PinataClient"/> pointed at it.</summary>
public sealed class PinataScene : IAsyncDisposable
{
    /// <summary>The JWT the imitation accepts.</summary>
    public const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySW5mb3JtYXRpb24iOiJpbWl0YXRpb24ifQ.c2lnbmF0dXJl";

    private PinataScene(PinataImitation imitation, LocalServer server, string baseUrl)
    {
        Imitation = imitation;
        Server = server;
        BaseUrl = baseUrl;
    }

    /// <summary>The imitation (its pins and request count).</summary>
    public PinataImitation Imitation { get; }

    /// <summary>The server.</summary>
    public LocalServer Server { get; }

    /// <summary>The base URL a client takes, e.g. <c>http://127.0.0.1:50123</c> (plus the prefix).</summary>
    public string BaseUrl { get; }

    /// <summary>Peer options that keep every call bounded in time.</summary>
    public static PeerOptions Bounded => new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Starts an imitation (endpoints under <paramref name="prefix"/>) on a free port.</summary>
    public static async Task<PinataScene> StartAsync(TimeProvider? clock = null, string prefix = "")
    {
        var imitation = new PinataImitation(Jwt, clock, prefix);
        var server = await LocalServer.StartAsync(imitation.Router);
        return new PinataScene(imitation, server, server.Url.ToString().TrimEnd('/') + prefix);
    }

    /// <summary>A client of this imitation with <paramref name="jwt"/> (the right one by default).</summary>
    public PinataClient Client(string? jwt = Jwt) => new(jwt, BaseUrl, Bounded);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
