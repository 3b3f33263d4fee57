namespace Usrv.Route;

/// <summary>
/// The invoke stage (DESIGN, The request's way through): calls the handler with the argument array through the invoker
/// compiled at bind time, awaiting <c>Task</c> and <c>ValueTask</c> results, and hands the result to the reply stage.
/// A handler's exception passes on to the problem-details stage (a <see cref="ProblemException"/> its status, any other 500).
/// </summary>
internal sealed class InvokeStage : IUsrvStage
{
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        var pending = request.Binding!.Invoker(request.Arguments);
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
