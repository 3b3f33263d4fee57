namespace Usrv.Route;

/// <summary>
/// One endpoint as a line of text can show it (<see cref="Router.Endpoints"/>): for start-up reports, <c>usrv routes</c>,
/// and tools that list or describe what a router serves.
/// </summary>
/// <param name="Methods">The HTTP methods answered, upper case, in the order bound (GET answers HEAD as well).</param>
/// <param name="Pattern">The normalised route pattern, e.g. <c>/&lt;int:b&gt;/&lt;a&gt;</c>.</param>
/// <param name="Handler">The handler as <c>Namespace.Type.Method</c> (<see cref="Binding.HandlerName"/>).</param>
/// <param name="SenderPolicy">
/// <c>any caller</c>, <c>sealed calls</c> (any authenticated usrv/2 sender) or <c>sealed calls from 'SET'</c> (a named set of
/// <see cref="RouterOptions.Senders"/>).
/// </param>
public sealed record EndpointDescription(IReadOnlyList<string> Methods, string Pattern, string Handler, string SenderPolicy)
{
    /// <summary>The text of <see cref="SenderPolicy"/> when any caller is admitted.</summary>
    public const string AnyCaller = "any caller";

    /// <summary>The description of <paramref name="binding"/>.</summary>
    public static EndpointDescription Of(Binding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var policy = binding.SenderPolicy switch
        {
            null => AnyCaller,
            { Set: null } => "sealed calls",
            { Set: { } set } => $"sealed calls from '{set}'",
        };
        return new EndpointDescription(binding.Methods, binding.Pattern.Text, binding.HandlerName, policy);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{string.Join(",", Methods)} {Pattern} -> {Handler} ({SenderPolicy})";
}
