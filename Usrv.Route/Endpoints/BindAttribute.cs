namespace Usrv.Route;

/// <summary>
/// Marks a static method as an HTTP endpoint (usrv's <c>@bind(path, methods=[...])</c>).
/// </summary>
/// <remarks>
/// The pattern is a usrv route pattern such as <c>/user/&lt;name&gt;</c> or <c>/&lt;int:b&gt;/&lt;a&gt;</c>
/// (see <see cref="RoutePattern"/>). With no method named the binding answers <c>GET</c>
/// (and <c>HEAD</c>, as every GET binding does). The attribute may be repeated to give a method
/// several patterns. <see cref="Router.BindType"/> and <see cref="Router.BindAssembly"/> find it.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class BindAttribute : Attribute
{
    /// <summary>Binds the method to <paramref name="pattern"/> for the given HTTP methods (GET when none).</summary>
    /// <param name="pattern">A usrv route pattern, e.g. <c>/&lt;int:b&gt;/&lt;a&gt;</c>.</param>
    /// <param name="methods">HTTP methods, case-insensitive (<c>"GET"</c>, <c>"POST"</c>, ...); none means GET.</param>
    public BindAttribute(string pattern, params string[] methods)
    {
        Pattern = pattern;
        Methods = methods.Length == 0 ? ["GET"] : methods;
    }

    /// <summary>The route pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>The HTTP methods the binding answers (at least one).</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>
    /// The name of the <see cref="HandlerPool"/> that runs this synchronous handler (a key of <see cref="RouterOptions.Pools"/>,
    /// e.g. <c>"cpu"</c>), for CPU-bound work; <c>null</c> (the default) runs it on the host's threads (README, CPU-bound routes).
    /// An unknown name, or a handler that returns a <c>Task</c> or <c>ValueTask</c>, is a <see cref="BindingException"/> at bind time.
    /// </summary>
    public string? Pool { get; set; }
}
