namespace Usrv.Route;

/// <summary>
/// Runs a stage around one endpoint, or around every endpoint of a type (pixie_web's before/after triggers): the stage
/// runs after routing and the sender policy, before the parameters are bound, inside the envelope (see
/// <see cref="IUsrvStage"/>). Several attributes run in the order written, a type's before a method's.
/// </summary>
/// <remarks>
/// The stage type implements <see cref="IUsrvStage"/> and has a public parameterless constructor; one instance is made
/// per endpoint, at bind time, and shared by its requests.
/// </remarks>
/// <example><code>
/// [Bind("/report"), UseStage(typeof(ApiKeyStage))]
/// public static (int, string) Report() => (200, "secret report");
/// </code></example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UseStageAttribute : Attribute
{
    /// <summary>Names the stage type.</summary>
    /// <param name="stageType">A type implementing <see cref="IUsrvStage"/> with a public parameterless constructor.</param>
    public UseStageAttribute(Type stageType) => StageType = stageType;

    /// <summary>The stage type.</summary>
    public Type StageType { get; }
}
