namespace Usrv.Route;

/// <summary>
/// Settings of one endpoint bound with <see cref="Router.Bind(string, Delegate, BindOptions)"/>: its HTTP methods, its
/// own stages (before/after hooks) and its sender policy.
/// </summary>
/// <example><code>
/// router.Bind("/orders", (string id) => (200, id), new BindOptions
/// {
///     Methods = ["POST"],
///     Stages = { new ApiKeyStage() },
/// });
/// </code></example>
public sealed class BindOptions
{
    /// <summary>The HTTP methods answered; GET when empty.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Stages that run around this endpoint only, in order, after routing (see <see cref="IUsrvStage"/>).</summary>
    public List<IUsrvStage> Stages { get; } = [];

    /// <summary>
    /// The endpoint's sender policy (usrv/2 step h); the router's <see cref="RouterOptions.SenderPolicy"/> when <c>null</c>.
    /// </summary>
    public RequireSenderAttribute? SenderPolicy { get; init; }

    /// <summary>
    /// The name of the <see cref="HandlerPool"/> that runs this synchronous handler (a key of <see cref="RouterOptions.Pools"/>,
    /// e.g. <c>"cpu"</c>); <c>null</c> for the host's threads. As <see cref="BindAttribute.Pool"/>.
    /// </summary>
    public string? Pool { get; init; }
}
