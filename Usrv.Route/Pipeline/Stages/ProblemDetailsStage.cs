using Microsoft.Extensions.Logging;

namespace Usrv.Route;

/// <summary>
/// The one place failures become answers (DESIGN, The request's way through): a <see cref="ProblemException"/> from any
/// later stage or handler becomes its RFC 9457 problem details; any other exception is logged (with the handler's name,
/// the path without its query, and the stack trace) and answered 500 without exception text, unless
/// <see cref="RouterOptions.DevelopmentMode"/>. It stands on both sides of the envelope, so that problems of the
/// endpoint are answered inside it and sealed like any answer.
/// </summary>
internal sealed class ProblemDetailsStage(RouterSettings settings) : IUsrvStage
{
    public async ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        try
        {
            return await next(request).ConfigureAwait(false);
        }
        catch (ProblemException problem)
        {
            return ProblemDetails.Response(problem);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            throw; // the client left or the host stops: nothing to answer
        }
        catch (Exception e)
        {
            settings.Log.LogError(e, "handler {Handler} failed on {Method} {Path}",
                request.Binding?.HandlerName ?? "(routing)", request.Method, RequestTarget.PathOnly(request.Target));
            return ProblemDetails.Response(500, settings.DevelopmentMode
                ? $"{e.GetType().FullName}: {e.Message}"
                : "the handler failed; the server log has the details");
        }
    }
}
