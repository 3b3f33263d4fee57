namespace Usrv.Host.Tests;

/// <summary>
/// A running usrv host that tests talk to over real loopback sockets: its <see cref="BaseAddress"/> and an
/// <see cref="HttpClient"/> pointed at it. Each host kind (the built-in <see cref="ListenerHost"/> today, an ASP.NET
/// Core adapter later) derives from this, so that one set of tests, written against <c>TFixture : UsrvHostFixture</c>,
/// runs on every host (see <see cref="DemoBindingsTests{TFixture}"/>).
/// </summary>
public abstract class UsrvHostFixture : IAsyncLifetime
{
    /// <summary>Timeout of every request made through <see cref="Client"/>: tests never hang on a stuck server.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private HttpClient? _client;

    /// <summary>The URL served, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; protected set; } = null!;

    /// <summary>A client whose <see cref="HttpClient.BaseAddress"/> is <see cref="BaseAddress"/>, with a timeout of a few seconds.</summary>
    public HttpClient Client => _client ??= new HttpClient { BaseAddress = BaseAddress, Timeout = RequestTimeout };

    /// <summary>The port served.</summary>
    public int Port => BaseAddress.Port;

    /// <summary>Starts the host and sets <see cref="BaseAddress"/>.</summary>
    protected abstract Task StartHostAsync();

    /// <summary>Stops the host.</summary>
    protected abstract Task StopHostAsync();

    async Task IAsyncLifetime.InitializeAsync() => await StartHostAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        _client?.Dispose();
        await StopHostAsync();
    }
}
