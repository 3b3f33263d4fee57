namespace Usrv.Route;

/// <summary>
/// usrv's <c>**kwargs</c>: an <c>IDictionary&lt;string, object?&gt;</c> (or <c>Dictionary</c>, <c>IReadOnlyDictionary</c>)
/// parameter gets, by name, the path and query values no named parameter takes (a query value wins), plus
/// <c>method</c>, <c>headers</c> and <c>data</c>. A query value in place of a <c>path</c> capture meets its rule
/// (<see cref="PathCapture"/>).
/// </summary>
internal sealed class KwargsSource : IParameterSource
{
    public ParameterBinder? TryCreate(EndpointParameter parameter)
    {
        var type = parameter.Type;
        return type == typeof(IDictionary<string, object?>) || type == typeof(Dictionary<string, object?>)
            || type == typeof(IReadOnlyDictionary<string, object?>)
            ? new Binder()
            : null;
    }

    internal sealed class Binder : ParameterBinder
    {
        public override bool ReadsBody => true;

        public override object? GetValue(ParameterBindingContext context)
        {
            var endpoint = context.Endpoint;
            var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
            var declared = endpoint.CaptureDeclared;
            for (int i = 0; i < declared.Length; i++)
            {
                if (!declared[i]) kwargs[endpoint.Pattern.Captures[i].Name] = context.RouteValues[i].Typed;
            }
            var rest = endpoint.Pattern.Captures is [.., { Type.IsRest: true } last] ? last.Name : null;
            foreach (var (name, value) in context.Query.Pairs)
            {
                if (endpoint.DeclaredNames.Contains(name)) continue;
                if (name == rest && PathCapture.Check(name, value) is { } unsafePath) throw unsafePath;
                kwargs[name] = value;
            }
            kwargs["method"] = context.Request.Method;
            kwargs["headers"] = context.Headers;
            kwargs["data"] = context.Data;
            return kwargs;
        }
    }
}
