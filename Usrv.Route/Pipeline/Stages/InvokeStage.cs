namespace Usrv.Route;

/// <summary>
/// The invoke stage (DESIGN, The request's way through): calls the handler with the argument array through the invoker
/// compiled at bind time, awaiting <c>Task</c> and <c>ValueTask</c> results, and hands the result to the reply stage.
/// A handler bound to a <see cref="HandlerPool"/> runs on the pool's threads (503 when its queue is full).
/// A handler's exception passes on to the problem-details stage (a <see cref="ProblemException"/> its status, any other 500).
/// </summary>
internal sealed class InvokeStage : IUsrvStage
{
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        var binding = request.Binding!;
        var pending = binding.Pool is { } pool // a synchronous handler on its own threads (README, CPU-bound routes)
            ? pool.InvokeAsync(binding.Invoker, request.Arguments, request.Aborted)
            : binding.Invoker(request.Arguments);
        if (pending.IsCompletedSuccessfully)
        {
            request.HandlerResult = pending.Result;
            return next(request);
        }
        return AwaitAsync(request, next, pending);
    }

    private static async ValueTask<UsrvResponse> AwaitAsync(UsrvRequest request, UsrvRequestHandler next, ValueTask<object?> pending)
    {
        request.HandlerResult = await pending.ConfigureAwait(false);
        return await next(request).ConfigureAwait(false);
    }
}
