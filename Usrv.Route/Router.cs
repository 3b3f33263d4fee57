using System.Reflection;
using Microsoft.Extensions.Logging;
using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>
/// The transport-free core of usrv: holds the bindings and answers a <see cref="UsrvRequest"/> with a
/// <see cref="UsrvResponse"/> through a chain of named stages (DESIGN, The request's way through). Hosts only translate
/// their transport's request and response and call <see cref="HandleAsync"/>.
/// </summary>
/// <example><code>
/// var router = new Router();
/// router.BindType(typeof(Api));                                        // every [Bind] method of Api
/// router.Bind("/hello/&lt;name&gt;", (string name) => (200, $"hello {name}"));
/// router.Use(async (request, next) => (await next(request)).WithHeader("X-Served-By", "usrv"));
/// UsrvResponse response = await router.HandleAsync(new UsrvRequest("GET", "/hello/bob"));
/// </code></example>
/// <remarks>
/// <para>The chain, built once per router (and again only when <see cref="Use(IUsrvStage)"/> adds a stage):</para>
/// <code>
/// access log -> problem details -> limits -> request validation -> your stages (Use) -> envelope -> routing
///   -> the endpoint's stages (UseStage, BindOptions.Stages) -> parameters -> invoke -> reply
/// </code>
/// <para>The access log stands first so that every request is logged, refused ones included; the problem-details stage
/// turns any failure into RFC 9457 problem details: here, inside the envelope of a sealed call (so that the endpoint's
/// problems are sealed like its answers), and after each of your stages and each endpoint stage, so that a stage gets
/// what the stages after it refused as an answer, never as an exception. Hot refusals (limits, 404, 405, sender policy)
/// are answered through the same conversion without being thrown.</para>
/// <para>Binding and <see cref="Use(IUsrvStage)"/> are thread-safe and atomic (a failed <c>BindType</c> binds nothing);
/// <see cref="HandleAsync"/> may run on any number of threads at once. <see cref="RouterOptions"/> is read once, here.</para>
/// </remarks>
public sealed partial class Router
{
    private readonly object _bindLock = new();
    private readonly RouterSettings _settings;
    private readonly BindingFactory _factory;
    private readonly UsrvRequestHandler _inner;
    private readonly List<IUsrvStage> _userStages = [];
    private readonly IUsrvStage[] _front;
    private readonly ProblemDetailsStage _problems;
    private readonly ILogger? _bindLog;
    private readonly OpenApiEndpoint _openApi;
    private readonly StaticFileSet _staticFiles = new();
    private volatile RouteTable _table = RouteTable.Empty;
    private volatile UsrvRequestHandler _chain;

    /// <summary>Creates an empty router.</summary>
    /// <param name="options">Limits, keys, JSON, services and parameter sources, read once, now; defaults when <c>null</c>.</param>
    /// <param name="loggers">
    /// The access log (<see cref="AccessLog.Category"/>) and handler failures with their stack traces (<c>Usrv.Route</c>);
    /// when <c>null</c>, the <see cref="ILoggerFactory"/> of <see cref="RouterOptions.Services"/>, else (on ASP.NET Core)
    /// the request's services for the access log, else nothing is logged.
    /// </param>
    public Router(RouterOptions? options = null, ILoggerFactory? loggers = null)
    {
        Options = options ?? new RouterOptions();
        _settings = new RouterSettings(Options, loggers);
        var reply = new ReplyStage(_settings);
        _factory = new BindingFactory(
            _settings,
            StageChain.Compose([new ParametersStage(_settings), new InvokeStage()], reply.AnswerAsync));
        var published = _settings.PublishKeys ? new PublishedKeys(_settings.Ring, _settings.Usrv04Compatible) : null;
        _openApi = new OpenApiEndpoint(_settings, () => _table);
        var routing = new RoutingStage(_settings, () => _table, published, _settings.PublishOpenApi ? _openApi : null, _staticFiles);
        _problems = new ProblemDetailsStage(_settings);
        _inner = StageChain.Compose(
            [new EnvelopeStage(_settings, _problems), routing],
            static _ => throw new InvalidOperationException("the routing stage ends the chain"));
        _front = _settings.Usrv04Compatible // usrv 0.4.3's error shape, decided once, here (RouterOptions.Usrv04Compatible)
            ? [new AccessLogStage(_settings), new Usrv04ErrorStage(), _problems, new LimitsStage(_settings), new RequestValidationStage()]
            : [new AccessLogStage(_settings), _problems, new LimitsStage(_settings), new RequestValidationStage()];
        _chain = BuildChain();
        _bindLog = _settings.Loggers?.CreateLogger(BindingLogCategory);
    }

    /// <summary>
    /// The logger category of bind-time warnings (a capture no parameter reads, an assembly without <c>[Bind]</c> methods):
    /// <c>Usrv.Binding</c>.
    /// </summary>
    public const string BindingLogCategory = "Usrv.Binding";

    /// <summary>The server's public key (base64 of the 33-byte SEC1 compressed point as text): what clients seal for.</summary>
    public PublicKey PublicKey => _settings.Identity.PublicKey;

    /// <summary>The settings the router was made with (read once, when it was made: later changes have no effect).</summary>
    public RouterOptions Options { get; }

    /// <summary>Every binding, in the order bound.</summary>
    public IReadOnlyList<Binding> Bindings => _table.All;

    /// <summary>
    /// Every endpoint, in the order bound, as text can show it (methods, pattern, handler, sender policy): what
    /// <c>usrv routes</c> prints.
    /// </summary>
    public IReadOnlyList<EndpointDescription> Endpoints => [.. _table.All.Select(EndpointDescription.Of)];

    /// <summary>
    /// Describes the bindings as an OpenAPI 3.1 document (Microsoft.OpenApi's model; a new one per call, yours to change or
    /// merge): what <c>GET /openapi.json</c> answers when <see cref="RouterOptions.PublishOpenApi"/> is on. Paths come from the
    /// route patterns (<c>/&lt;int:b&gt;/&lt;a&gt;</c> is <c>/{b}/{a}</c>, <c>b</c> an integer path parameter), query parameters
    /// from the named handler parameters (optional when they have a default or take <c>null</c>), request bodies from a JSON-bound
    /// parameter (<c>application/json</c>) or a <see cref="FormData"/> (<c>multipart/form-data</c>), the 200 answer from the
    /// return type, RFC 9457 problem answers (<c>#/components/schemas/ProblemDetails</c>) from what the pipeline can refuse, and
    /// the <c>usrv2</c> security requirement (roles: the sender set) from the sender policy; operationIds are
    /// <c>Type.Method</c>, made unique.
    /// </summary>
    /// <returns>The document; serialize it with Microsoft.OpenApi's writers (e.g. <c>SerializeAsV31</c>).</returns>
    public Microsoft.OpenApi.OpenApiDocument DescribeOpenApi() => OpenApiDocumentBuilder.Build(_table, _settings);

    /// <summary>The router's own stages, in the order added with <see cref="Use(IUsrvStage)"/>.</summary>
    public IReadOnlyList<IUsrvStage> Stages
    {
        get
        {
            lock (_bindLock) return [.. _userStages];
        }
    }

    /// <summary>Binds every static method of <paramref name="type"/> marked with <see cref="BindAttribute"/>.</summary>
    /// <returns>This router, for chaining.</returns>
    /// <remarks>
    /// Logged as warnings (<see cref="BindingLogCategory"/>): a capture that no parameter reads (unless the handler has usrv's
    /// <c>*args</c> or <c>**kwargs</c>, which take it).
    /// </remarks>
    /// <exception cref="BindingException">
    /// A method cannot be bound, repeats a method and pattern already bound, or can never be reached because a pattern tried
    /// before it matches every path its own matches under the same method (<c>/x/&lt;a&gt;</c> then <c>/x/&lt;b&gt;</c>;
    /// <c>/&lt;a&gt;</c> then <c>/&lt;int:n&gt;</c>); nothing is bound then.
    /// </exception>
    public Router BindType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Add(_factory.FromType(type));
    }

    /// <summary>Binds every <see cref="BindAttribute"/> method of every type of <paramref name="assembly"/>.</summary>
    /// <returns>This router, for chaining.</returns>
    /// <remarks>
    /// An assembly without any <see cref="BindAttribute"/> method is logged as a warning (<see cref="BindingLogCategory"/>).
    /// </remarks>
    /// <exception cref="BindingException">As <see cref="BindType"/>; nothing is bound then.</exception>
    public Router BindAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        List<Binding> found = [.. assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal).SelectMany(_factory.FromType)];
        if (found.Count == 0 && _bindLog is { } log) NoBindings(log, assembly.GetName().Name ?? assembly.FullName ?? "?");
        return Add(found);
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
        return Add([_factory.Create(pattern, methods, handler.Method, handler.Target, null)]);
    }

    /// <summary>Binds a lambda or method group with its own settings: methods, stages, sender policy.</summary>
    /// <param name="pattern">A usrv route pattern.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="options">The endpoint's methods (GET when none), stages and sender policy.</param>
    /// <returns>This router, for chaining.</returns>
    /// <exception cref="BindingException">The handler cannot be bound, or the method and pattern are already bound.</exception>
    public Router Bind(string pattern, Delegate handler, BindOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        return Add([_factory.Create(pattern, options.Methods, handler.Method, handler.Target, options)]);
    }

    /// <summary>
    /// Adds a stage that runs around every request, after those added before it (see <see cref="IUsrvStage"/> for where
    /// it stands and what it sees).
    /// </summary>
    /// <returns>This router, for chaining.</returns>
    public Router Use(IUsrvStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        lock (_bindLock)
        {
            _userStages.Add(stage);
            _chain = BuildChain();
        }
        return this;
    }

    /// <summary>Adds a stage written as a lambda: <c>router.Use(async (request, next) =&gt; ...)</c>.</summary>
    /// <param name="stage">Gets the request and the rest of the chain; returns the answer.</param>
    /// <returns>This router, for chaining.</returns>
    public Router Use(Func<UsrvRequest, UsrvRequestHandler, ValueTask<UsrvResponse>> stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return Use(new DelegateStage(stage));
    }

    /// <summary>Answers one request through the chain of stages. Never throws for a bad request or a failing handler.</summary>
    /// <param name="request">The request.</param>
    /// <returns>
    /// The response: the handler's reply, or a problem (400, 401, 403, 404, 405, 406, 412, 413, 414, 415, 431, 500, 503).
    /// </returns>
    /// <exception cref="OperationCanceledException"><see cref="UsrvRequest.Aborted"/> was cancelled: nobody is left to answer.</exception>
    public ValueTask<UsrvResponse> HandleAsync(UsrvRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _chain(request);
    }

    private UsrvRequestHandler BuildChain() =>
        StageChain.Compose(_front, StageChain.ComposeGuarded(_userStages, _problems, _inner));

    private Router Add(IReadOnlyList<Binding> bindings)
    {
        lock (_bindLock)
        {
            _table = _table.With(bindings);
        }
        if (_bindLog is { } log)
        {
            foreach (var binding in bindings)
            {
                foreach (var capture in binding.Parameters.UnreadCaptures)
                    UnreadCapture(log, binding.HandlerName, binding.Pattern.Text, capture);
            }
        }
        return this;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "{Handler} bound to {Pattern}: no parameter reads the capture '{Capture}' (add a parameter of that name, or **kwargs)")]
    private static partial void UnreadCapture(ILogger log, string handler, string pattern, string capture);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "assembly {Assembly} has no [Bind] method: it adds no endpoint")]
    private static partial void NoBindings(ILogger log, string assembly);
}
