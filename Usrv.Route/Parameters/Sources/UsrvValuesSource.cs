namespace Usrv.Route;

/// <summary>
/// The values usrv passes every handler under fixed names: <c>method</c> (<c>string</c> or <c>object</c>: the HTTP
/// method), <c>headers</c> (a dictionary of lower-cased names; of names as received under
/// <see cref="RouterOptions.Usrv04Compatible"/>) and <c>data</c> (<c>object</c>: the form, text, bytes or
/// <c>null</c>; <c>string</c>: the body as text; <c>byte[]</c>: the raw body).
/// </summary>
internal sealed class UsrvValuesSource : IParameterSource
{
    private static readonly ParameterBinder Method = ParameterBinder.From(context => context.Request.Method);
    private static readonly ParameterBinder Headers = ParameterBinder.From(context => context.Headers);

    public ParameterBinder? TryCreate(EndpointParameter parameter)
    {
        var type = parameter.Type;
        return parameter.Name switch
        {
            "method" when type == typeof(string) || type == typeof(object) => Method,
            "headers" when type.IsAssignableFrom(typeof(Dictionary<string, string>)) && type != typeof(object) => Headers,
            "data" when type == typeof(object) || type == typeof(string) || type == typeof(byte[]) => new DataBinder(parameter),
            _ => null,
        };
    }

    private sealed class DataBinder(EndpointParameter parameter) : ParameterBinder
    {
        public override bool ReadsBody => true;

        public override object? GetValue(ParameterBindingContext context)
        {
            if (context.Form is { } form)
            {
                return parameter.Type == typeof(object) ? form
                    : throw new ProblemException(415, $"parameter '{parameter.Name}' takes {parameter.TypeName}, not a multipart form; " +
                        "declare it 'object? data' or 'FormData data'");
            }
            if (context.Body.Length == 0) return parameter.HasFallback ? parameter.Fallback : null;
            if (parameter.Type == typeof(byte[])) return context.Body;
            if (parameter.Type == typeof(string)) return RequestBody.DecodeText(context.Body, context.Request.ContentType);
            return context.Data;
        }
    }
}
