using Microsoft.Extensions.Logging;

namespace Usrv.Route;

/// <summary>
/// The one place failures become answers (DESIGN, The request's way through): a <see cref="ProblemException"/> from any
/// later stage or handler becomes its RFC 9457 problem details; any other exception is logged (with the handler's name,
/// the path without its query, and the stack trace) and answered 500 without exception text, unless
/// <see cref="RouterOptions.DevelopmentMode"/>; a client that left (<see cref="ClientLeftException.Is"/>) is not a failure: one
/// Debug line, and the exception goes on to the host. It stands after the access log, inside the envelope of a sealed
/// call (so that problems of the endpoint are sealed like any answer), and after every user and endpoint stage.
/// </summary>
internal sealed partial class ProblemDetailsStage(RouterSettings settings) : IUsrvStage
{
    // No async state machine while the rest of the chain completes synchronously (the common case).
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        ValueTask<UsrvResponse> pending;
        try
        {
            pending = next(request);
        }
        catch (Exception e) when (!ClientLeftException.Is(e, request))
        {
            return new ValueTask<UsrvResponse>(Answer(e, request));
        }
        catch (Exception e)
        {
            throw Left(e, request);
        }
        return pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending, request);
    }

    private async ValueTask<UsrvResponse> AwaitAsync(ValueTask<UsrvResponse> pending, UsrvRequest request)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (!ClientLeftException.Is(e, request))
        {
            return Answer(e, request);
        }
        catch (Exception e)
        {
            throw Left(e, request);
        }
    }

    // The client left (or the host stops): nothing to answer. One Debug line, however many stages the exception passes
    // on its way out; it goes on to the host as a ClientLeftException (an OperationCanceledException), which drops the
    // connection.
    private ClientLeftException Left(Exception e, UsrvRequest request)
    {
        var left = e as ClientLeftException ?? new ClientLeftException(e.Message, e);
        if (!left.Logged)
        {
            left.Logged = true;
            ClientLeft(settings.Log, request.RemoteAddress, request.Method, RequestTarget.PathOnly(request.Target));
        }
        return left;
    }

    private UsrvResponse Answer(Exception e, UsrvRequest request)
    {
        if (e is ProblemException problem) return ProblemDetails.Response(problem);
        settings.Log.LogError(e, "handler {Handler} failed on {Method} {Path}",
            request.Binding?.HandlerName ?? "(routing)", request.Method, RequestTarget.PathOnly(request.Target));
        return ProblemDetails.Response(500, settings.DevelopmentMode
            ? $"{e.GetType().FullName}: {e.Message}"
            : "the handler failed; the server log has the details");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "client {Remote} left during {Method} {Path}")]
    private static partial void ClientLeft(ILogger log, string remote, string method, string path);
}
