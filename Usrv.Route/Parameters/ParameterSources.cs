namespace Usrv.Route;

/// <summary>
/// The built-in parameter sources in the order they are asked (DESIGN, Binding), after the router's own
/// <see cref="RouterOptions.ParameterSources"/>: <c>params object?[]</c>, <c>**kwargs</c>, <see cref="UsrvRequest"/>,
/// <see cref="CancellationToken"/>, <see cref="FormData"/>, <c>[FromCookie]</c>, <c>[FromServices]</c>, usrv's
/// <c>method</c>/<c>headers</c>/<c>data</c>, named values, named collections, services the provider can resolve, and
/// last a JSON body.
/// </summary>
public static class ParameterSources
{
    /// <summary>The built-in sources, in order; read-only.</summary>
    public static IReadOnlyList<IParameterSource> BuiltIn { get; } =
    [
        new ArgsSource(),
        new KwargsSource(),
        new RequestSource(),
        new CancellationSource(),
        new FormSource(),
        new CookieSource(),
        new ServiceSource(implicitly: false),
        new UsrvValuesSource(),
        new NamedValueSource(),
        new NamedCollectionSource(),
        new ServiceSource(implicitly: true),
        new JsonBodySource(),
    ];
}
