using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// The built-in host: an <see cref="HttpListener"/> whose accept loops hand each request to <see cref="Router.HandleAsync"/>
/// on a scheduler of <see cref="UsrvHostOptions.Threads"/> threads, at most <see cref="UsrvHostOptions.MaxConnections"/>
/// at once. It only translates HttpListener's request and response (limits, the access log and every other behaviour
/// are the router's stages) and adds what a socket needs: a body read timeout, a minimum body data rate and a
/// graceful stop.
/// </summary>
/// <example><code>
/// await using var host = new ListenerHost(router, new UsrvHostOptions { Port = 5000 }, loggerFactory);
/// host.Start();                     // throws HostStartException when the port is taken
/// ...
/// await host.StopAsync();           // lets requests in flight finish
/// </code></example>
public sealed class ListenerHost : IUsrvHost
{
    private const string Http11 = "HTTP/1.1"; // made once, not per request

    private readonly Router _router;
    private readonly UsrvHostOptions _options;
    private readonly ILogger _log;
    private HttpListener _listener = new() { IgnoreWriteExceptions = false }; // a failed write is how a client that left is seen
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _hardStop = new(); // handlers' token: cancelled only when the shutdown timeout runs out
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _slots;
    private readonly TaskScheduler _handlers;
    private Task[] _loops = [];
    private int _inFlight;
    private int _state; // 0 new, 1 started, 2 stopped

    /// <summary>Creates a host; nothing listens until <see cref="Start"/>.</summary>
    /// <param name="router">The bindings to serve.</param>
    /// <param name="options">Address, port, loops and limits.</param>
    /// <param name="loggers">The host's own messages (start, stop, dropped connections, category <c>Usrv.Host</c>); the access
    /// log and handler failures are the router's (<see cref="Router(RouterOptions, ILoggerFactory)"/>).</param>
    public ListenerHost(Router router, UsrvHostOptions options, ILoggerFactory? loggers = null)
    {
        _router = router;
        _options = options;
        loggers ??= NullLoggerFactory.Instance;
        _log = loggers.CreateLogger("Usrv.Host");
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConnections));
        // -t bounds the threads that run handlers, not the requests in flight (DESIGN, Hosts).
        _handlers = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Math.Max(1, options.Threads)).ConcurrentScheduler;
    }

    /// <summary>The URL served, e.g. <c>http://127.0.0.1:5000/</c>.</summary>
    public Uri BaseAddress => new(_options.Prefix);

    /// <inheritdoc/>
    public IReadOnlyList<Uri> BaseAddresses => [.. _options.Urls.Select(url => new Uri(url))];

    /// <summary>Starts listening and the accept loops.</summary>
    /// <exception cref="HostStartException">The address and port cannot be listened on (e.g. already in use).</exception>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("the host was already started");
        if (_options.Addresses.FirstOrDefault(a => !SupportsAddress(a)) is { } unsupported)
        {
            throw new HostStartException(
                $"cannot listen on {UsrvHostOptions.UrlOf("http", unsupported, _options.Port)}: " +
                $"HttpListener on {System.Runtime.InteropServices.RuntimeInformation.OSDescription} cannot listen on IPv6; " +
                "use the Kestrel host (usrv --server kestrel), which serves the same answers");
        }
        try
        {
            StartListener();
        }
        catch (HttpListenerException e)
        {
            throw new HostStartException($"cannot listen on {string.Join(", ", _options.Urls)}: {e.Message}", e);
        }
        // Accepting is apart from handling: two accept loops keep a GetContextAsync pending while a context is handed on.
        _loops = [Task.Run(AcceptLoopAsync), Task.Run(AcceptLoopAsync)];
        _log.LogInformation(
            "usrv listening on {Prefix} with {Threads} handler threads, at most {Connections} requests in flight",
            string.Join(", ", _options.Urls), Math.Max(1, _options.Threads), Math.Max(1, _options.MaxConnections));
    }

    // .NET's managed HttpListener accepts in its endpoint listener's constructor before it makes its connection table:
    // a client that connects during Start (a health check, a retrying client) makes Start throw ArgumentNullException
    // from HttpEndPointListener.ProcessAccept and leaves that listening socket open. The socket is collected, so that the
    // port is free again, and a new listener starts; the client that came too early is reset and retries.
    private void StartListener()
    {
        const int attempts = 5;
        for (int attempt = 1; ; attempt++)
        {
            foreach (var prefix in _options.Prefixes) _listener.Prefixes.Add(prefix);
            try
            {
                _listener.Start();
                return;
            }
            catch (ArgumentNullException e) when (attempt < attempts && e.StackTrace?.Contains("HttpEndPointListener") == true)
            {
                _log.LogDebug("a client connected while HttpListener started; starting it again (attempt {Attempt})", attempt + 1);
                ((IDisposable)_listener).Dispose();
                _listener = new HttpListener { IgnoreWriteExceptions = false };
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// True when HttpListener can listen on <paramref name="address"/>. Its managed implementation (Linux, macOS)
    /// reads no IPv6 literal in a prefix and binds IPv4 only; Windows' http.sys does IPv6.
    /// </summary>
    public static bool SupportsAddress(IPAddress address) =>
        OperatingSystem.IsWindows() || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;

    /// <summary>
    /// Stops accepting requests, waits for those in flight (up to <see cref="UsrvHostOptions.ShutdownTimeout"/>), then closes.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) return;
        _stopping.Cancel();
        _log.LogInformation("usrv stopping");
        StopListening();
        if (Volatile.Read(ref _inFlight) > 0)
        {
            _log.LogInformation("stopping: waiting for {Count} requests in flight", Volatile.Read(ref _inFlight));
            await Task.WhenAny(_drained.Task, Task.Delay(_options.ShutdownTimeout)).ConfigureAwait(false);
        }
        if (Volatile.Read(ref _inFlight) > 0)
        {
            // Handlers still running get their token cancelled and a moment to unwind, so that their loops answer 503
            // before the listener closes the connections.
            _hardStop.Cancel();
            await Task.WhenAny(_drained.Task, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        }
        _hardStop.Cancel();
        _listener.Close();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _log.LogInformation("usrv stopped");
    }

    // New connections are refused from the moment the stop begins: without prefixes HttpListener closes its listening
    // socket, while the connections it already accepted go on.
    private void StopListening()
    {
        try
        {
            _listener.Prefixes.Clear();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            _log.LogDebug("closing the listening socket failed: {Message}", e.Message);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _hardStop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                _slots.Release();
                return;
            }
            catch (Exception e) when (e is HttpListenerException or InvalidOperationException)
            {
                _slots.Release();
                _log.LogWarning("accept failed: {Message}", e.Message);
                continue;
            }
            Interlocked.Increment(ref _inFlight);
            _ = Task.Factory.StartNew(() => ServeOneAsync(context), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _handlers)
                .Unwrap();
        }
    }

    private async Task ServeOneAsync(HttpListenerContext context)
    {
        try
        {
            if (_stopping.IsCancellationRequested) Refuse(context.Response);
            else await ServeAsync(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing may end the host but the stop: log, drop that connection, serve the next.
            _log.LogError(e, "request failure");
            Abort(context.Response, 500);
        }
        finally
        {
            _slots.Release();
            if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping.IsCancellationRequested) _drained.TrySetResult();
        }
    }

    // A request accepted after the stop began: 503 and the connection closed, as no new request is taken from then on.
    private static void Refuse(HttpListenerResponse response)
    {
        try
        {
            response.StatusCode = 503;
            response.KeepAlive = false;
            response.ContentLength64 = 0;
            response.Close();
        }
        catch (Exception) { /* the client left */ }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        // HttpListener has no token for a client that left: the request's own, cancelled by the stop's hard timeout or a
        // failed write of a streamed body (ResponseMapping), so that a streaming handler stops when its client goes.
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(_hardStop.Token);
        var request = ToUsrvRequest(context, aborted.Token);
        try
        {
            var answer = await _router.HandleAsync(request).ConfigureAwait(false);
            bool head = request.Method == "HEAD";
            await ResponseMapping.WriteAsync(new ListenerResponse(response, head), answer, head, aborted.Token, aborted)
                .ConfigureAwait(false);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, stalled past the body timeout, or the stop's hard timeout ran out: drop the connection.
            _log.LogDebug("connection from {Remote} dropped: {Message}", request.RemoteAddress, e.Message);
            Abort(response, _hardStop.IsCancellationRequested ? 503 : 408);
        }
        catch (Exception e)
        {
            _log.LogError(e, "unexpected failure serving {Method} {Path}", request.Method, context.Request.Url?.AbsolutePath);
            Abort(response, 500);
        }
    }

    private UsrvRequest ToUsrvRequest(HttpListenerContext context, CancellationToken aborted)
    {
        var request = context.Request;
        var target = request.RawUrl ?? "/";
        var body = request.HasEntityBody
            ? new TimedReadStream(request.InputStream, _options.BodyReadTimeout, () => Abort(context.Response, 408),
                minBytesPerSecond: _options.MinRequestBodyDataRate, grace: _options.MinRequestBodyDataRateGracePeriod)
            : Stream.Null;
        return new UsrvRequest(request.HttpMethod, target, new ListenerRequestHeaders(request.Headers), body)
        {
            ContentLength = !request.HasEntityBody ? 0 : request.ContentLength64 >= 0 ? request.ContentLength64 : null,
            RemoteIpAddress = request.RemoteEndPoint?.Address,
            RemotePort = request.RemoteEndPoint?.Port ?? 0,
            Protocol = request.ProtocolVersion == HttpVersion.Version11 ? Http11 : "HTTP/" + request.ProtocolVersion.ToString(2),
            Aborted = aborted,
            Scheme = request.IsSecureConnection ? "https" : "http",
        };
    }

    // HttpListener writes the current status line when it aborts a response whose headers are unsent:
    // make it a failure status (never the default 200) and close the connection.
    private static void Abort(HttpListenerResponse response, int status)
    {
        try
        {
            response.StatusCode = status;
            response.KeepAlive = false;
        }
        catch (Exception) { /* headers already sent */ }
        try { response.Abort(); }
        catch (Exception) { /* already closed */ }
    }

    private readonly struct ListenerResponse(HttpListenerResponse response, bool isHead) : ITransportResponse
    {
        public Stream Body => response.OutputStream;

        public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            response.OutputStream.WriteAsync(body, cancellationToken);

        public void Start(int status, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, long? contentLength)
        {
            response.StatusCode = status;
            if (contentType is not null) response.ContentType = contentType;
            // AppendHeader, not AddHeader (which replaces): a repeated header is kept, each Set-Cookie on its own line.
            foreach (var (name, value) in headers) response.AppendHeader(name, value);
            if (status == 413) response.KeepAlive = false; // the unread body must not be taken for the next request
            if (contentLength is long length) response.ContentLength64 = length;
            else if (status == 304) response.ContentLength64 = 0; // no body to frame; HttpListener would write this "0" anyway
            else if (!isHead) response.SendChunked = true;
            // HEAD of a streamed body: HttpListener chunks it still and sends the last chunk after the headers; closing
            // the connection keeps that stray "0\r\n\r\n" from being read as the start of a next answer.
            else response.KeepAlive = false;
        }
    }
}
