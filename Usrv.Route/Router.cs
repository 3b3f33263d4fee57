using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>
/// The transport-free core of usrv: holds the bindings and answers a <see cref="UsrvRequest"/> with a
/// <see cref="UsrvResponse"/> (route, bind, invoke, reply). Hosts are thin adapters around <see cref="HandleAsync"/>.
/// </summary>
/// <example><code>
/// var router = new Router();
/// router.BindType(typeof(Api));                                        // every [Bind] method of Api
/// router.Bind("/hello/&lt;name&gt;", (string name) => (200, $"hello {name}"));
/// UsrvResponse response = await router.HandleAsync(new UsrvRequest("GET", "/hello/bob"));
/// </code></example>
/// <remarks>
/// Binding is done before serving; it is thread-safe and atomic (a failed <c>BindType</c> binds nothing),
/// and <see cref="HandleAsync"/> may run on any number of threads at once.
/// </remarks>
public sealed class Router
{
    private readonly object _bindLock = new();
    private readonly ILogger _logger;
    private volatile RouteTable _table = RouteTable.Empty;
    private readonly PrivateKey _identity;
    private readonly EnvelopeStage _envelope;
    private readonly PublishedKeys? _published;
    private readonly Func<UsrvRequest, ValueTask<UsrvResponse>> _route;

    /// <summary>Creates an empty router.</summary>
    /// <param name="options">Limits and JSON settings; defaults when <c>null</c>.</param>
    /// <param name="logger">Receives handler exceptions (with stack traces); nothing is logged when <c>null</c>.</param>
    public Router(RouterOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new RouterOptions();
        _logger = logger ?? NullLogger.Instance;
        _identity = Options.Identity ?? PrivateKey.Generate();
        var ring = new KeyRing(_identity, Options.PreviousKeys, Options.Time);
        _published = Options.PublishKeys ? new PublishedKeys(ring) : null;
        _envelope = new EnvelopeStage(ring, Options.ReplayGuard ?? new ReplayGuard(), Options.MaxRequestBodyBytes);
        _route = RouteAsync;
    }

    /// <summary>The server's public key (base64 of the 33-byte SEC1 compressed point as text): what clients seal for.</summary>
    public PublicKey PublicKey => _identity.PublicKey;

    /// <summary>The router's settings.</summary>
    public RouterOptions Options { get; }

    /// <summary>Every binding, in the order bound.</summary>
    public IReadOnlyList<Binding> Bindings => _table.All;

    /// <summary>Binds every static method of <paramref name="type"/> marked with <see cref="BindAttribute"/>.</summary>
    /// <returns>This router, for chaining.</returns>
    /// <exception cref="BindingException">A method cannot be bound, or repeats a method and pattern already bound; nothing is bound then.</exception>
    public Router BindType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Add(CollectType(type));
    }

    /// <summary>Binds every <see cref="BindAttribute"/> method of every type of <paramref name="assembly"/>.</summary>
    /// <returns>This router, for chaining.</returns>
    /// <exception cref="BindingException">As <see cref="BindType"/>; nothing is bound then.</exception>
    public Router BindAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Add([.. assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal).SelectMany(CollectType)]);
    }

    /// <summary>Binds a lambda or method group: <c>router.Bind("/hello/&lt;name&gt;", (string name) =&gt; (200, name))</c>.</summary>
    /// <param name="pattern">A usrv route pattern.</param>
    /// <param name="handler">The handler; its parameters are bound by name as for <see cref="BindAttribute"/> methods.</param>
    /// <param name="methods">HTTP methods; GET when none.</param>
    /// <returns>This router, for chaining.</returns>
    /// <exception cref="BindingException">The handler cannot be bound, or the method and pattern are already bound.</exception>
    public Router Bind(string pattern, Delegate handler, params string[] methods)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add([Create(pattern, methods, handler.Method, handler.Target)]);
    }

    /// <summary>
    /// Answers one request through the pipeline (DESIGN section 2): a usrv/2 sealed request goes through the envelope
    /// stage (verify, replay guard, open; the answer sealed and signed), then route, bind, invoke, reply.
    /// Never throws for a bad request or a failing handler.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The response: the handler's reply, or a problem (400, 401, 404, 405, 406, 412, 413, 415, 500, 503).</returns>
    public ValueTask<UsrvResponse> HandleAsync(UsrvRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ServerKey = _identity.PublicKey;
        return EnvelopeStage.Applies(request.Headers) ? _envelope.HandleAsync(request, _route) : RouteAsync(request);
    }

    private async ValueTask<UsrvResponse> RouteAsync(UsrvRequest request)
    {
        Binding? binding = null;
        try
        {
            RequestTarget.Split(request.Target, out var path, out var segments, out var queryText);
            var query = QueryString.Parse(queryText);
            var match = _table.Find(request.Method, path, segments);
            if (match.Binding is null)
            {
                // The built-in key endpoints answer only where no binding of the user's does.
                if (match.Allow is null && _published?.Answer(request.Method, path) is { } published) return published;
                return match.Allow is null
                    ? ProblemDetails.Response(404, $"no binding matches {request.Method} {path}")
                    : ProblemDetails.Response(405, $"{request.Method} is not bound for {path}; allowed: {match.Allow}", [new("Allow", match.Allow)]);
            }
            binding = match.Binding;
            if (binding.SenderPolicy is { } policy && Refuse(policy, request.Sender) is { } refusal) return refusal;
            var context = new BindingContext(request, query, match.Captures);
            try
            {
                if (binding.Binder.NeedsBody) await ReadBodyAsync(request, context).ConfigureAwait(false);
                var arguments = binding.Binder.Bind(context);
                var result = await binding.Invoker(arguments).ConfigureAwait(false);
                return ReplyWriter.Write(result, Options.Json);
            }
            finally
            {
                // Temporary files of large multipart parts live as long as the request.
                if (context.Form is { } form) await form.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (HttpProblemException problem)
        {
            return ProblemDetails.Response(problem.Status, problem.Message);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "handler {Handler} failed on {Method} {Target}", binding?.HandlerName ?? "(routing)", request.Method, PathOnly(request.Target));
            return ProblemDetails.Response(500, Options.DevelopmentMode ? $"{e.GetType().FullName}: {e.Message}" : "the handler failed; the server log has the details");
        }
    }

    // usrv/2 step h (DESIGN section 8): 401 for a plain call, 403 for a sealed one from a key the policy does not admit.
    private UsrvResponse? Refuse(RequireSenderAttribute policy, PublicKey? sender)
    {
        if (sender is null)
            return ProblemDetails.Response(401, "this endpoint answers only usrv/2 sealed calls: seal the call for the server's key (GET /puk)");
        if (policy.Set is { } set && !Options.Senders[set].Contains(sender))
            return ProblemDetails.Response(403, $"the sender {sender} is not admitted by this endpoint's sender set '{set}'");
        return null;
    }

    private async ValueTask ReadBodyAsync(UsrvRequest request, BindingContext context)
    {
        if (FormData.IsMultipart(request.ContentType))
        {
            if (request.ContentLength > Options.Multipart.MaxTotalBytes)
                throw new HttpProblemException(413, $"the multipart body is larger than the limit of {Options.Multipart.MaxTotalBytes} bytes");
            try
            {
                context.Form = await FormData.ReadAsync(request.Body, request.ContentType, Options.Multipart, request.Aborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException && !request.Aborted.IsCancellationRequested)
            {
                throw new HttpProblemException(400, "the request body could not be read: the connection failed before the whole body arrived");
            }
        }
        else
        {
            context.Body = await RequestBody.ReadAsync(request, Options.MaxRequestBodyBytes).ConfigureAwait(false);
        }
    }

    // Query strings may carry secrets: logs get the path only.
    private static string PathOnly(string target)
    {
        int mark = target.IndexOf('?');
        return mark < 0 ? target : target[..mark];
    }

    private List<Binding> CollectType(Type type)
    {
        var bindings = new List<Binding>();
        const BindingFlags flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(flags).OrderBy(m => m.MetadataToken))
        {
            foreach (var bind in method.GetCustomAttributes<BindAttribute>())
            {
                bindings.Add(Create(bind.Pattern, bind.Methods, method, null));
            }
        }
        foreach (var method in type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        {
            if (method.IsDefined(typeof(BindAttribute)))
                throw new BindingException($"{ArgumentBinder.Describe(method)} is an instance method; [Bind] methods must be static");
        }
        return bindings;
    }

    private Binding Create(string pattern, IReadOnlyList<string> methods, MethodInfo method, object? target)
    {
        if (method.ContainsGenericParameters)
            throw new BindingException($"{ArgumentBinder.Describe(method)} is generic; bind a closed method");
        var parsed = RoutePattern.Parse(pattern);
        var verbs = methods.Count == 0 ? ["GET"] : methods.Select(m => m.Trim().ToUpperInvariant()).Distinct().ToArray();
        foreach (var verb in verbs)
        {
            if (verb.Length == 0 || !verb.All(char.IsAsciiLetterUpper))
                throw new BindingException($"{ArgumentBinder.Describe(method)}: '{verb}' is not an HTTP method");
        }
        var binder = new ArgumentBinder(method, parsed, Options.Json);
        var invoker = HandlerInvoker.Create(method, target);
        var policy = method.GetCustomAttribute<RequireSenderAttribute>() ?? method.DeclaringType?.GetCustomAttribute<RequireSenderAttribute>() ?? Options.SenderPolicy;
        if (policy?.Set is { } set && !Options.Senders.ContainsKey(set))
            throw new BindingException($"{ArgumentBinder.Describe(method)} requires senders of the set '{set}', which RouterOptions.Senders does not hold");
        return new Binding(parsed, verbs, method, binder, invoker, policy);
    }

    private Router Add(IReadOnlyList<Binding> bindings)
    {
        lock (_bindLock)
        {
            _table = _table.With(bindings);
        }
        return this;
    }
}
