using System.Reflection;
using System.Text.Json;

namespace Usrv.Route;

/// <summary>
/// The binder of one binding: turns a matched request into the handler's argument array,
/// following usrv's rules with C# types (DESIGN section 3). Everything is planned in the constructor
/// (at bind time); <see cref="Bind"/> does no reflection.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Named parameters come from the query (the last value of a repeated key wins) or else the path
/// capture of the same name (usrv: a query value overrides a path value).</item>
/// <item><c>object</c> parameters get path values as the pattern typed them and query values as strings;
/// other types are converted by <see cref="ValueParsers"/>; a failed conversion is a 400 naming the parameter.</item>
/// <item>Missing: the declared default, else <c>null</c> for reference and nullable types, else 400.</item>
/// <item><c>params object?[]</c> (usrv <c>*args</c>) gets unexpected query values, then unexpected path values,
/// then method, headers and data; a <c>string</c>-keyed dictionary (usrv <c>**kwargs</c>) gets them by name and
/// takes them all when both are declared.</item>
/// <item>Parameters named <c>method</c>, <c>headers</c> and <c>data</c> receive what usrv passes under those names;
/// <c>data</c> is a <see cref="FormData"/> for multipart bodies.</item>
/// </list>
/// </remarks>
internal sealed class ArgumentBinder
{
    private readonly ParameterPlan[] _plans;
    private readonly HashSet<string> _declaredNames;
    private readonly bool[] _captureDeclared;
    private readonly RoutePattern _pattern;
    private readonly bool _hasKwargs;

    public ArgumentBinder(MethodInfo method, RoutePattern pattern, JsonSerializerOptions json)
    {
        _pattern = pattern;
        var parameters = method.GetParameters();
        _plans = new ParameterPlan[parameters.Length];
        _declaredNames = new HashSet<string>(StringComparer.Ordinal);
        _hasKwargs = parameters.Any(p => IsKwargs(p.ParameterType));
        for (int i = 0; i < parameters.Length; i++)
        {
            _plans[i] = Plan(method, parameters[i], pattern, json);
            if (_plans[i].Kind is ParameterKind.Named or ParameterKind.NamedCollection) _declaredNames.Add(_plans[i].Name);
        }
        if (_plans.Count(p => p.Kind == ParameterKind.JsonBody) > 1)
        {
            throw new BindingException($"{Describe(method)}: only one parameter can be bound from the JSON body ({string.Join(", ", _plans.Where(p => p.Kind == ParameterKind.JsonBody).Select(p => p.Name))})");
        }
        _captureDeclared = [.. pattern.Captures.Select(c => _declaredNames.Contains(c.Name))];
        NeedsBody = _plans.Any(p => p.Kind is ParameterKind.Args or ParameterKind.Kwargs or ParameterKind.Data or ParameterKind.JsonBody or ParameterKind.Form);
    }

    /// <summary>True when binding reads the request body (args, kwargs, data or a JSON body parameter).</summary>
    public bool NeedsBody { get; }

    /// <summary>Builds the argument array for one request.</summary>
    /// <exception cref="HttpProblemException">400 for a value that cannot be converted or a missing required parameter.</exception>
    public object?[] Bind(BindingContext context)
    {
        var plans = _plans;
        var arguments = plans.Length == 0 ? [] : new object?[plans.Length];
        for (int i = 0; i < plans.Length; i++)
        {
            var plan = plans[i];
            arguments[i] = plan.Kind switch
            {
                ParameterKind.Named => BindNamed(plan, context),
                ParameterKind.NamedCollection => BindCollection(plan, context),
                ParameterKind.Args => BindArgs(context),
                ParameterKind.Kwargs => BindKwargs(context),
                ParameterKind.Method => context.Request.Method,
                ParameterKind.Headers => context.Headers,
                ParameterKind.Data => BindData(plan, context),
                ParameterKind.Request => context.Request,
                ParameterKind.CancellationToken => context.Request.Aborted,
                ParameterKind.JsonBody => BindJson(plan, context),
                ParameterKind.Form => context.Form,
                _ => throw new InvalidOperationException("unreachable"),
            };
        }
        return arguments;
    }

    private static object? BindNamed(ParameterPlan plan, BindingContext context)
    {
        var text = context.Query.Last(plan.Name);
        if (text is null && plan.CaptureIndex >= 0)
        {
            var captured = context.Captures[plan.CaptureIndex];
            if (plan.TakesTypedPathValue) return captured.Typed;
            text = captured.Raw;
        }
        if (text is null) return Missing(plan);
        return plan.Parser!(text, out var value) ? value : throw NotConvertible(plan, text);
    }

    private static object? BindCollection(ParameterPlan plan, BindingContext context)
    {
        var texts = context.Query.All(plan.Name);
        if (texts.Count == 0 && plan.CaptureIndex >= 0) texts.Add(context.Captures[plan.CaptureIndex].Raw);
        if (texts.Count == 0) return Missing(plan);
        var items = new List<object?>(texts.Count);
        foreach (var text in texts)
        {
            items.Add(plan.Parser!(text, out var value) ? value : throw NotConvertible(plan, text));
        }
        return plan.CollectionFactory!(items);
    }

    private object?[] BindArgs(BindingContext context)
    {
        if (_hasKwargs) return []; // usrv: the dictionary takes them when both are declared
        var args = new List<object?>();
        foreach (var (name, value) in context.Query.Pairs)
        {
            if (!_declaredNames.Contains(name)) args.Add(value);
        }
        for (int i = 0; i < _captureDeclared.Length; i++)
        {
            if (!_captureDeclared[i]) args.Add(context.Captures[i].Typed);
        }
        args.Add(context.Request.Method);
        args.Add(context.Headers);
        args.Add(context.Data);
        return [.. args];
    }

    private Dictionary<string, object?> BindKwargs(BindingContext context)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 0; i < _captureDeclared.Length; i++)
        {
            if (!_captureDeclared[i]) kwargs[_pattern.Captures[i].Name] = context.Captures[i].Typed;
        }
        foreach (var (name, value) in context.Query.Pairs)
        {
            if (!_declaredNames.Contains(name)) kwargs[name] = value;
        }
        kwargs["method"] = context.Request.Method;
        kwargs["headers"] = context.Headers;
        kwargs["data"] = context.Data;
        return kwargs;
    }

    private static object? BindData(ParameterPlan plan, BindingContext context)
    {
        if (context.Form is { } form) return plan.Type == typeof(object) ? form : throw new HttpProblemException(415, $"parameter '{plan.Name}' takes {plan.TypeName}, not a multipart form; declare it 'object? data' or 'FormData data'");
        if (context.Body.Length == 0) return plan.HasFallback ? plan.Fallback : null;
        if (plan.Type == typeof(byte[])) return context.Body;
        if (plan.Type == typeof(string)) return RequestBody.DecodeText(context.Body, context.Request.ContentType);
        return context.Data;
    }

    private static object? BindJson(ParameterPlan plan, BindingContext context)
    {
        if (context.Form is not null) throw new HttpProblemException(415, $"parameter '{plan.Name}' is read from a JSON body, not from a multipart form");
        if (context.Body.Length == 0) return Missing(plan);
        try
        {
            return JsonSerializer.Deserialize(context.Body, plan.JsonType!);
        }
        catch (JsonException e)
        {
            throw new HttpProblemException(400, $"parameter '{plan.Name}': the body is not valid JSON for {plan.TypeName} ({e.Message})");
        }
    }

    private static object? Missing(ParameterPlan plan) =>
        plan.HasFallback ? plan.Fallback : throw new HttpProblemException(400, $"missing required parameter '{plan.Name}' ({plan.TypeName})");

    private static HttpProblemException NotConvertible(ParameterPlan plan, string text) =>
        new(400, $"parameter '{plan.Name}': '{(text.Length > 64 ? text[..64] + "..." : text)}' is not a valid {plan.ValueTypeName ?? plan.TypeName}");

    // ---- bind time ----

    private static ParameterPlan Plan(MethodInfo method, ParameterInfo parameter, RoutePattern pattern, JsonSerializerOptions json)
    {
        var name = parameter.Name ?? throw new BindingException($"{Describe(method)}: parameter {parameter.Position} has no name");
        var type = parameter.ParameterType;
        if (type.IsByRef) throw new BindingException($"{Describe(method)}: parameter '{name}' is ref/out/in; handlers take values");
        var typeName = FriendlyName(type);
        int captureIndex = IndexOfCapture(pattern, name);
        var (hasFallback, fallback) = Fallback(parameter);

        ParameterPlan Make(ParameterKind kind, ValueParser? parser = null, Func<List<object?>, object>? factory = null) => new()
        {
            Name = name, Type = type, Kind = kind, TypeName = typeName, CaptureIndex = captureIndex,
            Parser = parser, CollectionFactory = factory, HasFallback = hasFallback, Fallback = fallback,
            TakesTypedPathValue = type == typeof(object),
        };

        if (parameter.IsDefined(typeof(ParamArrayAttribute)))
        {
            return type == typeof(object[])
                ? Make(ParameterKind.Args)
                : throw new BindingException($"{Describe(method)}: 'params {typeName} {name}': usrv's *args is 'params object?[]'; use a {typeName} parameter without 'params' for a repeated query value");
        }
        if (IsKwargs(type)) return Make(ParameterKind.Kwargs);
        if (type == typeof(UsrvRequest)) return Make(ParameterKind.Request);
        if (type == typeof(CancellationToken)) return Make(ParameterKind.CancellationToken);
        if (type == typeof(FormData)) return Make(ParameterKind.Form);
        if (name == "method" && (type == typeof(string) || type == typeof(object))) return Make(ParameterKind.Method);
        if (name == "headers" && type.IsAssignableFrom(typeof(Dictionary<string, string>)) && type != typeof(object)) return Make(ParameterKind.Headers);
        if (name == "data" && (type == typeof(object) || type == typeof(string) || type == typeof(byte[]))) return Make(ParameterKind.Data);

        if (ValueParsers.For(type) is { } parser) return Make(ParameterKind.Named, parser);

        if (CollectionElement(type) is { } element && ValueParsers.For(element) is { } elementParser)
        {
            return Make(ParameterKind.NamedCollection, elementParser, CollectionFactoryFor(type, element)) with { ValueTypeName = FriendlyName(element) };
        }

        if (type.IsPrimitive || type.IsPointer || typeof(Delegate).IsAssignableFrom(type))
        {
            throw new BindingException($"{Describe(method)}: parameter '{name}' of type {typeName} cannot be bound from a request");
        }
        return new ParameterPlan
        {
            Name = name, Type = type, Kind = ParameterKind.JsonBody, TypeName = typeName,
            HasFallback = hasFallback, Fallback = fallback, JsonType = json.GetTypeInfo(type),
        };
    }

    private static (bool, object?) Fallback(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (parameter.HasDefaultValue)
        {
            var value = parameter.DefaultValue;
            if (value is null && type.IsValueType && Nullable.GetUnderlyingType(type) is null) value = Activator.CreateInstance(type);
            return (true, value);
        }
        if (!type.IsValueType || Nullable.GetUnderlyingType(type) is not null) return (true, null);
        return (false, null);
    }

    private static int IndexOfCapture(RoutePattern pattern, string name)
    {
        for (int i = 0; i < pattern.Captures.Count; i++)
        {
            if (pattern.Captures[i].Name == name) return i;
        }
        return -1;
    }

    internal static bool IsKwargs(Type type) =>
        type == typeof(IDictionary<string, object?>) || type == typeof(Dictionary<string, object?>) || type == typeof(IReadOnlyDictionary<string, object?>);

    private static Type? CollectionElement(Type type)
    {
        if (type.IsArray && type.GetArrayRank() == 1) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IEnumerable<>)
            || definition == typeof(IReadOnlyList<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Func<List<object?>, object> CollectionFactoryFor(Type type, Type element)
    {
        var name = type.IsArray ? nameof(MakeArray) : nameof(MakeList);
        return typeof(ArgumentBinder).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(element).CreateDelegate<Func<List<object?>, object>>();
    }

    private static object MakeArray<T>(List<object?> items)
    {
        var array = new T[items.Count];
        for (int i = 0; i < array.Length; i++) array[i] = (T)items[i]!;
        return array;
    }

    private static object MakeList<T>(List<object?> items)
    {
        var list = new List<T>(items.Count);
        foreach (var item in items) list.Add((T)item!);
        return list;
    }

    internal static string Describe(MethodInfo method) =>
        method.DeclaringType is { } declaring ? $"{declaring.FullName}.{method.Name}" : method.Name;

    // A type nested in a generic class is generic but its own name may carry no backtick.
    private static string GenericBaseName(Type type)
    {
        int tick = type.Name.IndexOf('`');
        return tick < 0 ? type.Name : type.Name[..tick];
    }

    internal static string FriendlyName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return FriendlyName(inner) + "?";
        if (type.IsEnum) return type.Name;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => "int", TypeCode.Int64 => "long", TypeCode.Double => "double", TypeCode.Single => "float",
            TypeCode.Boolean => "bool", TypeCode.String => "string", TypeCode.Decimal => "decimal", TypeCode.Int16 => "short",
            TypeCode.Byte => "byte", TypeCode.UInt32 => "uint", TypeCode.UInt64 => "ulong", TypeCode.Char => "char",
            _ => type == typeof(object) ? "object" : type.IsArray ? FriendlyName(type.GetElementType()!) + "[]"
                : type.IsGenericType ? $"{GenericBaseName(type)}<{string.Join(", ", type.GetGenericArguments().Select(FriendlyName))}>"
                : type.Name,
        };
    }
}
