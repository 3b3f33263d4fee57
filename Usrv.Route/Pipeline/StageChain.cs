namespace Usrv.Route;

/// <summary>Composes stages into one handler, once (at start or bind time), so that a request allocates nothing for the chain.</summary>
internal static class StageChain
{
    /// <summary>The handler that runs <paramref name="stages"/> in order, then <paramref name="last"/>.</summary>
    public static UsrvRequestHandler Compose(IReadOnlyList<IUsrvStage> stages, UsrvRequestHandler last)
    {
        var next = last;
        for (int i = stages.Count - 1; i >= 0; i--)
        {
            var stage = stages[i];
            var after = next;
            next = request => stage.InvokeAsync(request, after);
        }
        return next;
    }

    /// <summary>
    /// As <see cref="Compose"/>, with <paramref name="problems"/> after each stage: every stage then gets what the stages
    /// after it refused as an answer (problem details), never as an exception.
    /// </summary>
    public static UsrvRequestHandler ComposeGuarded(IReadOnlyList<IUsrvStage> stages, IUsrvStage problems, UsrvRequestHandler last) =>
        Compose([.. stages.SelectMany(stage => new[] { stage, problems })], last);
}
