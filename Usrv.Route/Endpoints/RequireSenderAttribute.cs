namespace Usrv.Route;

/// <summary>
/// A sender policy (DESIGN, Keys, senders, replay; usrv/2 step h): the endpoint answers only usrv/2 sealed calls, optionally only from
/// the keys of a named set in <see cref="RouterOptions.Senders"/>. On a method, or on a type for all its endpoints
/// (a method's own attribute wins); <see cref="RouterOptions.SenderPolicy"/> sets one for a whole router.
/// </summary>
/// <remarks>A plain call to such an endpoint is a 401; a sealed call from a key the policy does not admit is a 403, sealed.</remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class RequireSenderAttribute : Attribute
{
    /// <summary>Admits any authenticated usrv/2 caller, or, with <paramref name="set"/>, only the keys of that set.</summary>
    /// <param name="set">A key of <see cref="RouterOptions.Senders"/>, or null for any authenticated caller.</param>
    public RequireSenderAttribute(string? set = null) => Set = set;

    /// <summary>The name of the admitted key set, or null for any authenticated caller.</summary>
    public string? Set { get; }
}
