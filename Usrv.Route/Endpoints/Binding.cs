using System.Reflection;

namespace Usrv.Route;

/// <summary>
/// One endpoint as bound (usrv's binding): a route pattern, the HTTP methods it answers and the handler, with everything
/// decided at bind time (DESIGN, Binding): the parameter plan, the compiled invoker, the sender policy and the
/// endpoint's own chain of stages.
/// </summary>
public sealed class Binding
{
    internal Binding(RoutePattern pattern, IReadOnlyList<string> methods, MethodInfo method, EndpointParameters parameters,
        Func<object?[], ValueTask<object?>> invoker, RequireSenderAttribute? senderPolicy, IReadOnlyList<IUsrvStage> stages)
    {
        Pattern = pattern;
        Methods = methods;
        Method = method;
        HandlerName = TypeNames.Handler(method);
        Parameters = parameters;
        Invoker = invoker;
        SenderPolicy = senderPolicy;
        Stages = stages;
        Handle = null!;
    }

    /// <summary>The route pattern.</summary>
    public RoutePattern Pattern { get; }

    /// <summary>The HTTP methods answered, upper case (GET bindings answer HEAD as well).</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>The handler method (for lambdas, the compiler-generated method).</summary>
    public MethodInfo Method { get; }

    /// <summary>The handler's name for messages and logs: <c>Namespace.Type.Method</c>.</summary>
    public string HandlerName { get; }

    /// <summary>The endpoint's sender policy (usrv/2 step h), decided at bind time; null when any caller is admitted.</summary>
    public RequireSenderAttribute? SenderPolicy { get; }

    /// <summary>
    /// The endpoint's own stages, in the order they run after routing (<see cref="UseStageAttribute"/> on the type, then
    /// on the method, then <see cref="BindOptions.Stages"/>).
    /// </summary>
    public IReadOnlyList<IUsrvStage> Stages { get; }

    /// <summary>
    /// The pool whose dedicated threads run the handler (<see cref="BindAttribute.Pool"/>), decided at bind time; <c>null</c>
    /// when it runs on the host's threads.
    /// </summary>
    public HandlerPool? Pool { get; internal set; }

    internal EndpointParameters Parameters { get; }

    internal Func<object?[], ValueTask<object?>> Invoker { get; }

    /// <summary>The endpoint's chain: its stages, then parameters, invoke and reply; composed once, when bound.</summary>
    internal UsrvRequestHandler Handle { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{string.Join(",", Methods)} {Pattern} -> {HandlerName}";
}
