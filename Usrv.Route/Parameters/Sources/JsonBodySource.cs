using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Usrv.Route;

/// <summary>
/// The last source: one parameter of a complex type is read from a JSON body (as ASP.NET Core does) with
/// <see cref="RouterOptions.Json"/>. Primitives, pointers and delegates are refused at bind time; an empty body is a
/// missing value; a multipart body is a 415; JSON that does not fit the type is a 400 naming the parameter.
/// </summary>
internal sealed class JsonBodySource : IParameterSource
{
    public ParameterBinder? TryCreate(EndpointParameter parameter)
    {
        var type = parameter.Type;
        if (type.IsPrimitive || type.IsPointer || typeof(Delegate).IsAssignableFrom(type)) return null;
        return new Binder(parameter, parameter.Json.GetTypeInfo(type));
    }

    internal sealed class Binder(EndpointParameter parameter, JsonTypeInfo contract) : ParameterBinder
    {
        public override bool ReadsBody => true;

        public override object? GetValue(ParameterBindingContext context)
        {
            if (context.Form is not null)
            {
                throw new ProblemException(415, $"parameter '{parameter.Name}' is read from a JSON body, not from a multipart form");
            }
            if (context.Body.Length == 0) return parameter.Missing();
            try
            {
                return JsonSerializer.Deserialize(context.Body, contract);
            }
            catch (JsonException e)
            {
                throw new ProblemException(
                    400,
                    $"parameter '{parameter.Name}': the body is not valid JSON for {parameter.TypeName} ({e.Message})");
            }
        }
    }
}
