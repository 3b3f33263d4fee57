using System.Reflection;

namespace Usrv.Route;

/// <summary>
/// Makes bindings at bind time (DESIGN, Binding): finds the <see cref="BindAttribute"/> methods of a type, checks the
/// pattern, the methods, the handler's signature and return type, plans its parameters, compiles its invoker, decides its
/// sender policy and composes its chain of stages. Nothing here runs per request.
/// </summary>
internal sealed class BindingFactory(RouterSettings settings, UsrvRequestHandler endpointTail)
{
    // Endpoint stages see the problems of what follows them as answers: a problem-details stage after each.
    private readonly ProblemDetailsStage _problems = new(settings);

    /// <summary>
    /// One binding per <see cref="BindAttribute"/> of every static method of <paramref name="type"/>, in declaration order.
    /// </summary>
    public List<Binding> FromType(Type type)
    {
        var bindings = new List<Binding>();
        const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(statics).OrderBy(m => m.MetadataToken))
        {
            foreach (var bind in method.GetCustomAttributes<BindAttribute>())
            {
                var options = bind.Pool is { } pool ? new BindOptions { Pool = pool } : null;
                bindings.Add(Create(bind.Pattern, bind.Methods, method, null, options));
            }
        }
        const BindingFlags instances = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(instances))
        {
            if (method.IsDefined(typeof(BindAttribute)))
                throw new BindingException($"{TypeNames.Handler(method)} is an instance method; [Bind] methods must be static");
        }
        return bindings;
    }

    /// <summary>The binding of a handler method (a static method, or a delegate's method on its target).</summary>
    /// <exception cref="BindingException">The pattern, a method name, the signature or the return type cannot be bound.</exception>
    public Binding Create(string pattern, IReadOnlyList<string> methods, MethodInfo method, object? target, BindOptions? options)
    {
        if (method.ContainsGenericParameters)
            throw new BindingException($"{TypeNames.Handler(method)} is generic; bind a closed method");
        var parsed = RoutePattern.Parse(pattern);
        string[] verbs = methods.Count == 0 ? ["GET"] : [.. methods.Select(m => m.Trim().ToUpperInvariant()).Distinct()];
        foreach (var verb in verbs)
        {
            if (verb.Length == 0 || !verb.All(char.IsAsciiLetterUpper))
                throw new BindingException($"{TypeNames.Handler(method)}: '{verb}' is not an HTTP method");
        }
        var parameters = new EndpointParameters(method, parsed, settings);
        var invoker = HandlerInvoker.Create(method, target);
        var policy = options?.SenderPolicy
            ?? method.GetCustomAttribute<RequireSenderAttribute>()
            ?? method.DeclaringType?.GetCustomAttribute<RequireSenderAttribute>()
            ?? settings.SenderPolicy;
        if (policy?.Set is { } set && !settings.Senders.ContainsKey(set))
        {
            throw new BindingException(
                $"{TypeNames.Handler(method)} requires senders of the set '{set}', which RouterOptions.Senders does not hold");
        }
        var stages = Stages(method, options);
        var binding = new Binding(parsed, verbs, method, parameters, invoker, policy, stages) { Pool = Pool(method, options?.Pool) };
        binding.Handle = StageChain.ComposeGuarded(stages, _problems, endpointTail);
        return binding;
    }

    /// <summary>The pool named by the binding, looked up once, here, and started; <c>null</c> when none is named.</summary>
    /// <exception cref="BindingException">The name is not a key of <see cref="RouterOptions.Pools"/>, or the handler is async.</exception>
    private HandlerPool? Pool(MethodInfo method, string? name)
    {
        if (name is null) return null;
        if (!settings.Pools.TryGetValue(name, out var pool))
        {
            throw new BindingException(
                $"{TypeNames.Handler(method)} names the pool '{name}', which RouterOptions.Pools does not hold " +
                $"(it holds {string.Join(", ", settings.Pools.Keys.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))})");
        }
        var type = method.ReturnType;
        if (typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask)
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            throw new BindingException(
                $"{TypeNames.Handler(method)} returns {TypeNames.Friendly(type)}: only synchronous handlers run on a pool " +
                $"('{name}'); make it synchronous, or bind it without Pool and await the CPU-bound part on Task.Run");
        }
        pool.Start();
        return pool;
    }

    private static List<IUsrvStage> Stages(MethodInfo method, BindOptions? options)
    {
        var stages = new List<IUsrvStage>();
        var attributes = (method.DeclaringType?.GetCustomAttributes<UseStageAttribute>() ?? [])
            .Concat(method.GetCustomAttributes<UseStageAttribute>());
        foreach (var use in attributes)
        {
            if (!typeof(IUsrvStage).IsAssignableFrom(use.StageType) || use.StageType.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new BindingException(
                    $"{TypeNames.Handler(method)}: [UseStage({use.StageType.Name})] needs a type implementing IUsrvStage " +
                    "with a public parameterless constructor");
            }
            stages.Add((IUsrvStage)Activator.CreateInstance(use.StageType)!);
        }
        if (options is not null) stages.AddRange(options.Stages);
        return stages;
    }
}
