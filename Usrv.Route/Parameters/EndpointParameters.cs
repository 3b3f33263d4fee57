using System.Reflection;

namespace Usrv.Route;

/// <summary>
/// The parameter plan of one endpoint, made at bind time: one <see cref="ParameterBinder"/> per handler parameter, each
/// chosen from the parameter sources (DESIGN, Binding). <see cref="CreateArguments"/> follows the plan for a request and
/// does no reflection.
/// </summary>
internal sealed class EndpointParameters
{
    private readonly ParameterBinder[] _binders;
    private readonly bool _userSourced;

    public EndpointParameters(MethodInfo handler, RoutePattern pattern, RouterSettings settings)
    {
        Settings = settings;
        Pattern = pattern;
        var parameters = handler.GetParameters();
        _binders = new ParameterBinder[parameters.Length];
        var plan = new ParameterPlan[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = new EndpointParameter(handler, parameters[i], pattern, settings);
            if (parameter.Type.IsByRef) throw parameter.Refuse("is ref/out/in; handlers take values");
            (_binders[i], var source) = Choose(parameter, settings.ParameterSources);
            plan[i] = new ParameterPlan(parameter, _binders[i], source);
            // A service, or a source of the user's, may open the request's service scope, which must be ended.
            MayHoldResources |= source is ServiceSource || !ParameterSources.BuiltIn.Contains(source);
            _userSourced |= !ParameterSources.BuiltIn.Contains(source);
        }
        var bodies = _binders.Select((b, i) => (b, i)).Where(p => p.b is JsonBodySource.Binder).Select(p => parameters[p.i].Name).ToList();
        if (bodies.Count > 1)
        {
            throw new BindingException(
                $"{TypeNames.Handler(handler)}: only one parameter can be bound from the JSON body ({string.Join(", ", bodies)})");
        }
        DeclaredNames = _binders.Select(b => b.ValueName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        CaptureDeclared = [.. pattern.Captures.Select(c => DeclaredNames.Contains(c.Name))];
        HasKwargs = _binders.Any(b => b is KwargsSource.Binder);
        UnreadCaptures = _binders.Any(b => b is KwargsSource.Binder or ArgsSource.Binder) || _userSourced
            ? []
            : [.. pattern.Captures.Where((c, i) => !CaptureDeclared[i]).Select(c => c.Name)];
        ReadsBody = _binders.Any(b => b.ReadsBody);
        Plan = plan;
    }

    /// <summary>Each handler parameter with the binder and the source that took it, in order (for the OpenAPI description).</summary>
    public IReadOnlyList<ParameterPlan> Plan { get; }

    public RouterSettings Settings { get; }

    public RoutePattern Pattern { get; }

    /// <summary>True when a parameter needs the body, which the parameters stage then reads before binding.</summary>
    public bool ReadsBody { get; }

    /// <summary>True when binding may open resources that must be ended with the request (a service scope).</summary>
    public bool MayHoldResources { get; }

    /// <summary>Names taken by named parameters: usrv's <c>*args</c>/<c>**kwargs</c> get the others.</summary>
    public HashSet<string> DeclaredNames { get; }

    /// <summary>Per capture of the pattern: true when a named parameter takes it.</summary>
    public bool[] CaptureDeclared { get; }

    /// <summary>
    /// The captures no parameter takes (bind-time warning): none when usrv's <c>*args</c> or <c>**kwargs</c> takes the
    /// others, or when a parameter source of the user's may read the route values itself.
    /// </summary>
    public IReadOnlyList<string> UnreadCaptures { get; }

    /// <summary>True when the handler declares usrv's <c>**kwargs</c> (which then takes what <c>*args</c> would).</summary>
    public bool HasKwargs { get; }

    /// <summary>The handler's argument array for one request.</summary>
    /// <exception cref="ProblemException">A value cannot be made (400, 415).</exception>
    public object?[] CreateArguments(ParameterBindingContext context)
    {
        var binders = _binders;
        if (binders.Length == 0) return [];
        var arguments = new object?[binders.Length];
        for (int i = 0; i < binders.Length; i++) arguments[i] = binders[i].GetValue(context);
        return arguments;
    }

    private static (ParameterBinder, IParameterSource) Choose(EndpointParameter parameter, IReadOnlyList<IParameterSource> sources)
    {
        foreach (var source in sources)
        {
            if (source.TryCreate(parameter) is { } binder) return (binder, source);
        }
        throw parameter.Refuse($"of type {parameter.TypeName} cannot be bound from a request");
    }
}

/// <summary>One handler parameter as planned at bind time: the parameter, its binder and the source that made the binder.</summary>
internal sealed record ParameterPlan(EndpointParameter Parameter, ParameterBinder Binder, IParameterSource Source);
