namespace Usrv.Route;

/// <summary>One value a route pattern captured from a path segment (DESIGN, Binding).</summary>
/// <param name="Raw">The decoded segment text (for a <c>path</c> capture, the rest of the path).</param>
/// <param name="Typed">The value as the capture's type parsed it: <c>int</c>, <c>long</c>, <c>double</c>, <c>bool</c>,
/// <see cref="Guid"/> or <c>string</c>.</param>
public readonly record struct RouteValue(string Raw, object Typed);
