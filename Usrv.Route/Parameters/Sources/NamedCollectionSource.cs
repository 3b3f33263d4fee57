using System.Reflection;

namespace Usrv.Route;

/// <summary>
/// An array or list parameter (<c>T[]</c>, <c>List&lt;T&gt;</c>, <c>IList&lt;T&gt;</c>, <c>IEnumerable&lt;T&gt;</c>,
/// <c>IReadOnlyList&lt;T&gt;</c>, <c>ICollection&lt;T&gt;</c>, <c>IReadOnlyCollection&lt;T&gt;</c>) of a convertible
/// <c>T</c> gets every query value of its name (<c>?tag=a&amp;tag=b</c>), else the path capture of its name. Query values
/// that override a <c>path</c> capture meet its rule (<see cref="PathCapture"/>).
/// </summary>
internal sealed class NamedCollectionSource : IParameterSource
{
    public ParameterBinder? TryCreate(EndpointParameter parameter)
    {
        if (Element(parameter.Type) is not { } element || ValueParsers.For(element) is not { } parser) return null;
        var factoryName = parameter.Type.IsArray ? nameof(MakeArray) : nameof(MakeList);
        var factory = typeof(NamedCollectionSource).GetMethod(factoryName, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(element).CreateDelegate<Func<List<object?>, object>>();
        return new Binder(parameter, parser, factory, TypeNames.Friendly(element));
    }

    private sealed class Binder(EndpointParameter parameter, ValueParser parser, Func<List<object?>, object> factory, string elementName)
        : ParameterBinder
    {
        private readonly bool _overridesPathCapture = NamedValueSource.IsPathCapture(parameter);

        public override string? ValueName => parameter.Name;

        public override object? GetValue(ParameterBindingContext context)
        {
            var texts = context.Query.All(parameter.Name);
            if (texts.Count == 0 && parameter.CaptureIndex >= 0) texts.Add(context.RouteValues[parameter.CaptureIndex].Raw);
            if (texts.Count == 0) return parameter.Missing();
            var items = new List<object?>(texts.Count);
            foreach (var text in texts)
            {
                if (_overridesPathCapture && PathCapture.Check(parameter.Name, text) is { } unsafePath) throw unsafePath;
                items.Add(parser(text, out var value) ? value : throw NamedValueSource.NotConvertible(parameter.Name, text, elementName));
            }
            return factory(items);
        }
    }

    private static Type? Element(Type type)
    {
        if (type.IsArray && type.GetArrayRank() == 1) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IEnumerable<>)
            || definition == typeof(IReadOnlyList<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
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
}
