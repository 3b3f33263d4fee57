using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Usrv.Route;

/// <summary>
/// Dependency injection, ASP.NET Core Minimal APIs' rule (DESIGN, Binding): a parameter marked with an attribute that
/// implements <see cref="IFromServiceMetadata"/> (<c>[FromServices]</c>), or, when <see cref="Implicit"/>, one whose type
/// <see cref="RouterOptions.Services"/> can resolve (<see cref="IServiceProviderIsService"/>), is resolved per request:
/// on ASP.NET Core from the request's services, elsewhere from a scope made for the request.
/// </summary>
/// <remarks>
/// A required service that cannot be resolved is a server fault (500, logged), as in ASP.NET Core; an optional one
/// (nullable or with a default) gets <c>null</c> or its default.
/// </remarks>
internal sealed class ServiceSource(bool implicitly) : IParameterSource
{
    /// <summary>True for the source that takes resolvable types without an attribute (checked after the named values).</summary>
    public bool Implicit => implicitly;

    public ParameterBinder? TryCreate(EndpointParameter parameter)
    {
        bool marked = parameter.Info.GetCustomAttributes(inherit: true).OfType<IFromServiceMetadata>().Any();
        if (!implicitly) return marked ? new Binder(parameter) : null;
        return parameter.Settings.IsService?.IsService(parameter.Type) == true ? new Binder(parameter) : null;
    }

    private sealed class Binder(EndpointParameter parameter) : ParameterBinder
    {
        private readonly Type _type = parameter.Type;

        public override object? GetValue(ParameterBindingContext context)
        {
            var value = context.Services?.GetService(_type);
            if (value is not null) return value;
            if (parameter.HasFallback) return parameter.Fallback;
            throw new InvalidOperationException(
                $"{TypeNames.Handler(parameter.Handler)}: no service of type {parameter.TypeName} for parameter '{parameter.Name}'");
        }
    }
}
