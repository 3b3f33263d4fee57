using System.Reflection;

namespace Usrv.Route;

/// <summary>
/// One endpoint: a route pattern, the HTTP methods it answers and the handler, with its binder and
/// invoker compiled at bind time.
/// </summary>
public sealed class Binding
{
    internal Binding(RoutePattern pattern, IReadOnlyList<string> methods, MethodInfo method, ArgumentBinder binder, Func<object?[], ValueTask<object?>> invoker, RequireSenderAttribute? senderPolicy)
    {
        SenderPolicy = senderPolicy;
        Pattern = pattern;
        Methods = methods;
        Method = method;
        Binder = binder;
        Invoker = invoker;
    }

    /// <summary>The route pattern.</summary>
    public RoutePattern Pattern { get; }

    /// <summary>The HTTP methods answered, upper case (GET bindings answer HEAD as well).</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>The handler method (for lambdas, the compiler-generated method).</summary>
    public MethodInfo Method { get; }

    /// <summary>The handler's name for messages and logs: <c>Namespace.Type.Method</c>.</summary>
    public string HandlerName => ArgumentBinder.Describe(Method);

    /// <summary>The endpoint's sender policy (usrv/2 step h), decided at bind time; null when any caller is admitted.</summary>
    public RequireSenderAttribute? SenderPolicy { get; }

    internal ArgumentBinder Binder { get; }

    internal Func<object?[], ValueTask<object?>> Invoker { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{string.Join(",", Methods)} {Pattern} -> {HandlerName}";
}
