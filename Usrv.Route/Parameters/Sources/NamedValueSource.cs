namespace Usrv.Route;

/// <summary>
/// A parameter of a type <see cref="ValueParsers"/> converts (numbers, <c>bool</c>, <c>string</c>, <see cref="Guid"/>,
/// enums, <c>IParsable&lt;T&gt;</c>, <c>object</c>) gets the query value of its name (the last of a repeated key), else the
/// path capture of its name (usrv: a query value overrides a path value). <c>object</c> gets path values as the pattern
/// typed them and query values as strings. A value that does not convert is a 400 naming the parameter, and so is a query
/// value that overrides a <c>path</c> capture but breaks its rule (<see cref="PathCapture"/>).
/// </summary>
internal sealed class NamedValueSource : IParameterSource
{
    public ParameterBinder? TryCreate(EndpointParameter parameter) =>
        ValueParsers.For(parameter.Type) is { } parser ? new Binder(parameter, parser) : null;

    private sealed class Binder(EndpointParameter parameter, ValueParser parser) : ParameterBinder
    {
        private readonly string _name = parameter.Name;
        private readonly int _capture = parameter.CaptureIndex;
        private readonly bool _takesTypedPathValue = parameter.Type == typeof(object);
        private readonly bool _overridesPathCapture = IsPathCapture(parameter);

        public override string? ValueName => _name;

        public override object? GetValue(ParameterBindingContext context)
        {
            var text = context.Query.Last(_name);
            if (text is not null && _overridesPathCapture && PathCapture.Check(_name, text) is { } unsafePath) throw unsafePath;
            if (text is null && _capture >= 0)
            {
                var captured = context.Request.RouteValues[_capture];
                if (_takesTypedPathValue) return captured.Typed;
                text = captured.Raw;
            }
            if (text is null) return parameter.Missing();
            return parser(text, out var value) ? value : throw NotConvertible(parameter.Name, text, parameter.TypeName);
        }
    }

    /// <summary>True when <paramref name="parameter"/> has the name of its pattern's <c>path</c> capture.</summary>
    internal static bool IsPathCapture(EndpointParameter parameter) =>
        parameter.CaptureIndex >= 0 && parameter.Pattern.Captures[parameter.CaptureIndex].Type.IsRest;

    /// <summary>The 400 of a value that does not convert: names the parameter, quotes at most 64 characters of the value.</summary>
    internal static ProblemException NotConvertible(string name, string text, string typeName) =>
        new(400, $"parameter '{name}': '{(text.Length > 64 ? text[..64] + "..." : text)}' is not a valid {typeName}");
}
