using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Usrv.Host.AspNetCore;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// Serves a router on ASP.NET Core's Kestrel through the adapter (<see cref="UsrvRequestDelegate"/>): the same answers as
/// the built-in host, plus HTTPS with HTTP/2 when a certificate is given (<c>usrv --server kestrel --cert PATH</c>).
/// Kestrel runs the usrv chain as its application, with no middleware, endpoint routing or hosting diagnostics in between
/// (inside an application of your own, <c>MapUsrv</c> keeps ASP.NET Core's routing).
/// </summary>
public sealed class KestrelHost : IUsrvHost
{
    /// <summary>The environment variable holding the certificate's password: <c>USRV_CERT_PASSWORD</c>.</summary>
    public const string CertificatePasswordVariable = "USRV_CERT_PASSWORD";

    private readonly Router _router;
    private readonly UsrvHostOptions _options;
    private readonly X509Certificate2? _certificate;
    private readonly ILoggerFactory _loggers;
    private WebApplication? _app;
    private UsrvHttpApplication? _application;

    /// <summary>Creates the host; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="router">The bindings.</param>
    /// <param name="options">
    /// Address, port and the limits shared with the built-in host (<see cref="UsrvHostOptions.Threads"/> is not used:
    /// Kestrel schedules itself); the request limits are the router's.
    /// </param>
    /// <param name="certificate">
    /// A certificate with its private key for HTTPS (HTTP/1.1 and HTTP/2 over TLS), or <c>null</c> for plain HTTP.
    /// </param>
    /// <param name="loggers">Logging, including the access log.</param>
    public KestrelHost(Router router, UsrvHostOptions options, X509Certificate2? certificate = null, ILoggerFactory? loggers = null)
    {
        _router = router;
        _options = options;
        _certificate = certificate;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc/>
    public Uri BaseAddress => BaseAddresses[0];

    /// <inheritdoc/>
    public IReadOnlyList<Uri> BaseAddresses =>
        [.. _options.Addresses.Select(a => new Uri(UsrvHostOptions.UrlOf(_certificate is null ? "http" : "https", a, _options.Port)))];

    /// <summary>Loads a certificate for <c>--cert</c>: PKCS#12 (<c>.pfx</c>, <c>.p12</c>) with the password of
    /// <see cref="CertificatePasswordVariable"/>, or PEM with the private key in the same file.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Wrong password or not a certificate.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static X509Certificate2 LoadCertificate(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"certificate file {path} not found", path);
        var password = Environment.GetEnvironmentVariable(CertificatePasswordVariable);
        return path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadPkcs12FromFile(path, password);
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // usrv's own limits answer with problem details (the router's limits stage): Kestrel's must sit above them.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxConcurrentConnections = Math.Max(1, _options.MaxConnections);
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(
                _options.MinRequestBodyDataRate, _options.MinRequestBodyDataRateGracePeriod);
            kestrel.Limits.MaxRequestLineSize =
                Math.Max(kestrel.Limits.MaxRequestLineSize, Math.Max(64 * 1024, _router.Options.MaxUrlLength + 1024));
            kestrel.Limits.MaxRequestHeadersTotalSize =
                Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, _router.Options.MaxHeaderBytes * 2);
            void Configure(ListenOptions listen)
            {
                // HTTP/2 needs TLS's protocol negotiation (ALPN); plain connections stay HTTP/1.1.
                listen.Protocols = _certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (_certificate is not null) listen.UseHttps(_certificate);
            }
            ListenOn(kestrel, _options.Addresses, _options.Port, Configure);
        });
        var app = builder.Build();
        // The chain is Kestrel's application itself (no host pipeline, routing or diagnostics: UsrvHttpApplication); the
        // WebApplication only configures Kestrel and holds its services, and is never started.
        var server = app.Services.GetRequiredService<IServer>();
        var chain = UsrvRequestDelegate.Create(_router, "", _options.BodyReadTimeout, requestServices: false);
        var application = new UsrvHttpApplication(chain);
        try
        {
            await server.StartAsync(application, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new HostStartException($"cannot listen on {BaseAddress}: {(e.InnerException ?? e).Message}", e);
        }
        _application = application;
        _app = app;
        _loggers.CreateLogger("Usrv.Host").LogInformation(
            "usrv listening on {Url} (Kestrel{Tls})",
            string.Join(", ", BaseAddresses),
            _certificate is null ? "" : ", HTTPS with HTTP/2");
    }

    // One Listen per address, except where an any-address already takes it: '::' is a dual-mode socket (every IPv4
    // and IPv6 address), '0.0.0.0' takes every IPv4 address, and both together are ListenAnyIP's one dual-mode socket
    // (IPv4 only where the OS has no IPv6). Binding '0.0.0.0' and '::' apart, or an address under an any-address of its
    // family, would fail with EADDRINUSE on Linux.
    private static void ListenOn(
        KestrelServerOptions kestrel, IReadOnlyList<IPAddress> addresses, int port, Action<ListenOptions> configure)
    {
        bool any4 = addresses.Contains(IPAddress.Any), any6 = addresses.Contains(IPAddress.IPv6Any);
        if (any6)
        {
            if (any4) kestrel.ListenAnyIP(port, configure);
            else kestrel.Listen(IPAddress.IPv6Any, port, configure);
            return;
        }
        foreach (var address in addresses)
        {
            bool covered = any4 && address.AddressFamily == AddressFamily.InterNetwork && !address.Equals(IPAddress.Any);
            if (!covered) kestrel.Listen(address, port, configure);
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync()
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null) return;
        var log = _loggers.CreateLogger("Usrv.Host");
        log.LogInformation("usrv stopping");
        if (_application?.InFlight is > 0 and var count)
        {
            log.LogInformation("stopping: waiting for {Count} requests in flight", count);
        }
        // Kestrel stops listening at once, lets requests in flight finish for the shutdown timeout, then aborts the rest.
        using (var timeout = new CancellationTokenSource(_options.ShutdownTimeout))
        {
            await app.Services.GetRequiredService<IServer>().StopAsync(timeout.Token).ConfigureAwait(false);
        }
        await app.DisposeAsync().ConfigureAwait(false);
        log.LogInformation("usrv stopped");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
