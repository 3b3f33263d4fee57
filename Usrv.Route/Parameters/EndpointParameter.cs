using System.Reflection;
using System.Text.Json;

namespace Usrv.Route;

/// <summary>
/// A handler parameter as the parameter sources see it at bind time: its name, type, default, the route pattern it may
/// read, and the router's settings (JSON, services). Made once per parameter, never per request.
/// </summary>
public sealed class EndpointParameter
{
    internal EndpointParameter(MethodInfo handler, ParameterInfo info, RoutePattern pattern, RouterSettings settings)
    {
        Handler = handler;
        Info = info;
        Pattern = pattern;
        Settings = settings;
        Name = info.Name ?? throw new BindingException($"{TypeNames.Handler(handler)}: parameter {info.Position} has no name");
        Type = info.ParameterType;
        TypeName = TypeNames.Friendly(Type);
        CaptureIndex = -1;
        for (int i = 0; i < pattern.Captures.Count; i++)
        {
            if (pattern.Captures[i].Name == Name)
            {
                CaptureIndex = i;
                break;
            }
        }
        if (info.HasDefaultValue)
        {
            var value = info.DefaultValue;
            if (value is null && Type.IsValueType && Nullable.GetUnderlyingType(Type) is null) value = Activator.CreateInstance(Type);
            (HasFallback, Fallback) = (true, value);
        }
        else if (!Type.IsValueType || Nullable.GetUnderlyingType(Type) is not null)
        {
            (HasFallback, Fallback) = (true, null);
        }
    }

    /// <summary>The handler method (for lambdas, the compiler-generated method).</summary>
    public MethodInfo Handler { get; }

    /// <summary>The parameter's reflection data (attributes, position).</summary>
    public ParameterInfo Info { get; }

    /// <summary>The parameter's name, matched against query keys and path captures.</summary>
    public string Name { get; }

    /// <summary>The declared type.</summary>
    public Type Type { get; }

    /// <summary>The type as C# writes it (<c>int?</c>, <c>List&lt;string&gt;</c>), for messages.</summary>
    public string TypeName { get; }

    /// <summary>The endpoint's route pattern.</summary>
    public RoutePattern Pattern { get; }

    /// <summary>Index of the path capture of the same name in <see cref="RoutePattern.Captures"/>, or -1.</summary>
    public int CaptureIndex { get; }

    /// <summary>
    /// True when the parameter may be missing: it has a default, or its type takes <c>null</c> (usrv: a missing value
    /// takes the default, else <c>null</c> for nullable types, else 400).
    /// </summary>
    public bool HasFallback { get; }

    /// <summary>What a missing value becomes when <see cref="HasFallback"/>: the default, or <c>null</c>.</summary>
    public object? Fallback { get; }

    /// <summary>The JSON settings of replies and bodies (<see cref="RouterOptions.Json"/>).</summary>
    public JsonSerializerOptions Json => Settings.Json;

    internal RouterSettings Settings { get; }

    /// <summary>The value for a missing parameter: <see cref="Fallback"/>, else a 400 "missing required parameter".</summary>
    /// <exception cref="ProblemException">400: the parameter is required.</exception>
    public object? Missing() =>
        HasFallback ? Fallback : throw new ProblemException(400, $"missing required parameter '{Name}' ({TypeName})");

    /// <summary>A bind-time refusal naming the handler and this parameter: throw it from a source.</summary>
    /// <param name="reason">What is wrong and what to declare instead.</param>
    public BindingException Refuse(string reason) => new($"{TypeNames.Handler(Handler)}: parameter '{Name}' {reason}");

    /// <inheritdoc/>
    public override string ToString() => $"{TypeName} {Name}";
}
