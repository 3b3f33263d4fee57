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
}
