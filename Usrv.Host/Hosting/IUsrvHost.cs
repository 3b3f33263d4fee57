namespace Usrv.Host;

/// <summary>
/// A server that serves a <see cref="Usrv.Route.Router"/>: the built-in <see cref="ListenerHost"/> or <see cref="KestrelHost"/>.
/// </summary>
public interface IUsrvHost : IAsyncDisposable
{
    /// <summary>The URL served, e.g. <c>http://127.0.0.1:5000/</c> or <c>https://[::1]:5443/</c>.</summary>
    Uri BaseAddress { get; }

    /// <summary>Every URL served, one per address (<see cref="UsrvHostOptions.Addresses"/>); the first is
    /// <see cref="BaseAddress"/>.</summary>
    IReadOnlyList<Uri> BaseAddresses => [BaseAddress];

    /// <summary>Starts listening.</summary>
    /// <exception cref="HostStartException">The address and port cannot be listened on.</exception>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops accepting requests and lets those in flight finish.</summary>
    Task StopAsync();
}
