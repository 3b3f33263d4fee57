using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// A usrv host (<see cref="IUsrvHost"/>) serving a <see cref="Route.Router"/> on a free loopback port. As an xunit class
/// fixture (parameterless constructor of a derived class) it serves usrv's <see cref="DemoBindings"/> on 127.0.0.1;
/// the static <c>StartAsync</c>/<c>RunAsync</c> of each derived class start one with other bindings, options, address
/// or loggers for a single test.
/// </summary>
public abstract class RouterHostFixture : UsrvHostFixture, IAsyncDisposable
{
    private const int StartAttempts = 5;
    private readonly Settings _settings;

    /// <summary>What to serve and how; every property has a default (demo bindings on 127.0.0.1).</summary>
    public sealed class Settings
    {
        private Router? _router;

        /// <summary>Limits of the router (body size...). Set them before <see cref="Router"/> is first used.</summary>
        public RouterOptions RouterOptions { get; } = new();

        /// <summary>The router served: the demo bindings (unless <see cref="BindDemo"/> is false) plus what a test binds.</summary>
        public Router Router => _router ??= new Router(RouterOptions, Loggers);

        /// <summary>Whether the demo bindings are bound too (default true).</summary>
        public bool BindDemo { get; set; } = true;

        /// <summary>Host options; <see cref="UsrvHostOptions.Address"/> and <see cref="UsrvHostOptions.Port"/> are set by the fixture.</summary>
        public UsrvHostOptions Options { get; } = new() { Threads = 4 };

        /// <summary>The loopback address to listen on (127.0.0.1 by default; <see cref="IPAddress.IPv6Loopback"/> for IPv6).</summary>
        public IPAddress Address { get; set; } = IPAddress.Loopback;

        /// <summary>Loggers given to the host and the router; none when <c>null</c>. Set before <see cref="Router"/> is first used.</summary>
        public ILoggerFactory? Loggers { get; set; }
    }

    /// <summary>Creates the fixture; nothing runs until it is started.</summary>
    protected RouterHostFixture(Settings settings) => _settings = settings;

    /// <summary>The running host.</summary>
    public IUsrvHost Host { get; private set; } = null!;

    /// <summary>The router served.</summary>
    public Router Router => _settings.Router;

    /// <summary>Creates the host kind under test (not started).</summary>
    protected abstract IUsrvHost CreateHost(Router router, UsrvHostOptions options, ILoggerFactory? loggers);

    /// <summary>A TCP port that was free a moment ago on <paramref name="address"/> (HttpListener cannot listen on port 0).</summary>
    public static int FreePort(IPAddress address)
    {
        var probe = new TcpListener(address, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>Starts a fixture made by <paramref name="create"/> and configured by <paramref name="configure"/>.</summary>
    protected static async Task<TFixture> StartAsync<TFixture>(Action<Settings>? configure, Func<Settings, TFixture> create)
        where TFixture : RouterHostFixture
    {
        var settings = new Settings();
        configure?.Invoke(settings);
        var fixture = create(settings);
        await fixture.StartHostAsync();
        return fixture;
    }

    /// <summary>
    /// Starts a fixture, runs <paramref name="test"/> against it, then stops it. When the test fails and stopping fails
    /// too, both failures are reported (the test's first), so that a failing stop does not hide what the test saw.
    /// </summary>
    protected static async Task RunAsync<TFixture>(Action<Settings>? configure, Func<Settings, TFixture> create, Func<TFixture, Task> test)
        where TFixture : RouterHostFixture
    {
        var server = await StartAsync(configure, create);
        Exception? testFailure = null;
        try
        {
            await test(server);
        }
        catch (Exception e)
        {
            testFailure = e;
        }
        Exception? stopFailure = null;
        try
        {
            await server.DisposeAsync();
        }
        catch (Exception e)
        {
            stopFailure = new InvalidOperationException($"the host did not stop cleanly: {e.GetType().Name}: {e.Message}", e);
        }
        if (testFailure is not null && stopFailure is not null) throw new AggregateException(testFailure, stopFailure);
        if (testFailure is not null) ExceptionDispatchInfo.Throw(testFailure);
        if (stopFailure is not null) throw stopFailure;
    }

    /// <inheritdoc/>
    protected override async Task StartHostAsync()
    {
        var router = _settings.Router;
        if (_settings.BindDemo) router.BindType(typeof(DemoBindings));
        for (int attempt = 1; ; attempt++)
        {
            _settings.Options.Address = _settings.Address;
            _settings.Options.Port = FreePort(_settings.Address);
            var host = CreateHost(router, _settings.Options, _settings.Loggers);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await host.StartAsync(timeout.Token);
                Host = host;
                BaseAddress = host.BaseAddress;
                return;
            }
            catch (HostStartException) when (attempt < StartAttempts)
            {
                // Another process took the port between the probe and the start: try another one.
                await host.DisposeAsync();
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task StopHostAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
    }

    /// <summary>Stops the host and the client.</summary>
    public async ValueTask DisposeAsync() => await ((IAsyncLifetime)this).DisposeAsync();
}

/// <summary>
/// A host kind whose tests start their own hosts: lets a generic test class (<c>BadInputTests&lt;TFixture&gt;</c>) call
/// <c>TFixture.RunAsync(...)</c> for whichever kind it runs on.
/// </summary>
public interface IRouterHostFixture<TSelf> where TSelf : RouterHostFixture, IRouterHostFixture<TSelf>
{
    /// <summary>Starts a host configured by <paramref name="configure"/>; dispose it at the end of the test.</summary>
    static abstract Task<TSelf> StartAsync(Action<RouterHostFixture.Settings>? configure = null);

    /// <summary>Starts a host, runs <paramref name="test"/> against it and stops it (see <see cref="RouterHostFixture"/>).</summary>
    static abstract Task RunAsync(Action<RouterHostFixture.Settings>? configure, Func<TSelf, Task> test);
}

/// <summary>The built-in <see cref="ListenerHost"/> (HttpListener) on a free loopback port.</summary>
/// <example><code>
/// await ListenerHostFixture.RunAsync(s => s.Router.Bind("/slow", ...), async server =>
/// {
///     var answer = await server.Client.GetStringAsync("/slow");
/// });
/// </code></example>
public sealed class ListenerHostFixture : RouterHostFixture, IRouterHostFixture<ListenerHostFixture>
{
    /// <summary>The xunit class-fixture constructor: usrv's demo bindings on 127.0.0.1.</summary>
    public ListenerHostFixture() : this(new Settings()) { }

    private ListenerHostFixture(Settings settings) : base(settings) { }

    /// <summary>Starts a host configured by <paramref name="configure"/>; dispose it at the end of the test.</summary>
    public static Task<ListenerHostFixture> StartAsync(Action<Settings>? configure = null) =>
        StartAsync(configure, settings => new ListenerHostFixture(settings));

    /// <summary>Starts a host, runs <paramref name="test"/> against it and stops it (see <see cref="RouterHostFixture"/>).</summary>
    public static Task RunAsync(Action<Settings>? configure, Func<ListenerHostFixture, Task> test) =>
        RunAsync(configure, settings => new ListenerHostFixture(settings), test);

    /// <inheritdoc/>
    protected override IUsrvHost CreateHost(Router router, UsrvHostOptions options, ILoggerFactory? loggers) =>
        new ListenerHost(router, options, loggers);
}

/// <summary>The Kestrel host (<see cref="KestrelHost"/>, plain HTTP/1.1) on a free loopback port.</summary>
public sealed class KestrelHostFixture : RouterHostFixture, IRouterHostFixture<KestrelHostFixture>
{
    /// <summary>The xunit class-fixture constructor: usrv's demo bindings on 127.0.0.1.</summary>
    public KestrelHostFixture() : this(new Settings()) { }

    private KestrelHostFixture(Settings settings) : base(settings) { }

    /// <summary>Starts a host configured by <paramref name="configure"/>; dispose it at the end of the test.</summary>
    public static Task<KestrelHostFixture> StartAsync(Action<Settings>? configure = null) =>
        StartAsync(configure, settings => new KestrelHostFixture(settings));

    /// <summary>Starts a host, runs <paramref name="test"/> against it and stops it (see <see cref="RouterHostFixture"/>).</summary>
    public static Task RunAsync(Action<Settings>? configure, Func<KestrelHostFixture, Task> test) =>
        RunAsync(configure, settings => new KestrelHostFixture(settings), test);

    /// <inheritdoc/>
    protected override IUsrvHost CreateHost(Router router, UsrvHostOptions options, ILoggerFactory? loggers) =>
        new KestrelHost(router, options, certificate: null, loggers);
}
