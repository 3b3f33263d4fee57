namespace Usrv.Route;

/// <summary>
/// usrv's <c>*args</c>: a <c>params object?[]</c> parameter gets the query values no named parameter takes, then the
/// path values no named parameter takes, then the method, the headers and the data (usrv's order); nothing when the
/// handler also declares <c>**kwargs</c>, which takes them all.
/// </summary>
internal sealed class ArgsSource : IParameterSource
{
    public ParameterBinder? TryCreate(EndpointParameter parameter)
    {
        if (!parameter.Info.IsDefined(typeof(ParamArrayAttribute), inherit: false)) return null;
        return parameter.Type == typeof(object[])
            ? new Binder()
            : throw parameter.Refuse($"is 'params {parameter.TypeName}': usrv's *args is 'params object?[]'; " +
                $"use a {parameter.TypeName} parameter without 'params' for a repeated query value");
    }

    internal sealed class Binder : ParameterBinder
    {
        public override bool ReadsBody => true;

        public override object? GetValue(ParameterBindingContext context)
        {
            var endpoint = context.Endpoint;
            if (endpoint.HasKwargs) return Array.Empty<object?>();
            var args = new List<object?>();
            foreach (var (name, value) in context.Query.Pairs)
            {
                if (!endpoint.DeclaredNames.Contains(name)) args.Add(value);
            }
            var declared = endpoint.CaptureDeclared;
            for (int i = 0; i < declared.Length; i++)
            {
                if (!declared[i]) args.Add(context.RouteValues[i].Typed);
            }
            args.Add(context.Request.Method);
            args.Add(context.Headers);
            args.Add(context.Data);
            return args.ToArray();
        }
    }
}
