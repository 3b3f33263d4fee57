using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Usrv.Route;

/// <summary>
/// One line per request, as usrv (and werkzeug) writes it: <c>127.0.0.1:52579 - "GET /user/bob HTTP/1.1" 200</c>, at
/// Information level in the category <see cref="AccessLog.Category"/>; <c>- (client left)</c> for the status when the
/// client left before it was answered (<see cref="ClientLeftException.Is"/>), <c>-</c> when no answer was made otherwise.
/// The target is logged without its query: query strings may carry secrets (API keys, signatures), so a line shows
/// <c>?...</c> where one was sent.
/// </summary>
/// <remarks>
/// The logger comes from the router's loggers; a router made without any logs through the request's services
/// (<c>ILoggerFactory</c> of the ASP.NET Core application), resolved once.
/// </remarks>
internal sealed partial class AccessLogStage(RouterSettings settings) : IUsrvStage
{
    private ILogger? _log = settings.Loggers?.CreateLogger(AccessLog.Category);

    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        var log = _log ??= request.Services?.GetService<ILoggerFactory>()?.CreateLogger(AccessLog.Category) ?? NullLogger.Instance;
        if (!log.IsEnabled(LogLevel.Information)) return next(request);
        ValueTask<UsrvResponse> pending;
        try
        {
            pending = next(request);
        }
        catch (Exception e)
        {
            Write(log, request, Unanswered(e, request));
            throw;
        }
        if (!pending.IsCompletedSuccessfully) return AwaitAsync(log, request, pending);
        Write(log, request, AccessLog.StatusText(pending.Result.Status));
        return pending;
    }

    private static async ValueTask<UsrvResponse> AwaitAsync(ILogger log, UsrvRequest request, ValueTask<UsrvResponse> pending)
    {
        UsrvResponse response;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Write(log, request, Unanswered(e, request));
            throw;
        }
        Write(log, request, AccessLog.StatusText(response.Status));
        return response;
    }

    // No answer was made: the client left, or something failed past every problem stage.
    private static string Unanswered(Exception e, UsrvRequest request) =>
        ClientLeftException.Is(e, request) ? AccessLog.ClientLeftStatus : AccessLog.StatusText(0);

    private static void Write(ILogger log, UsrvRequest request, string status) =>
        Line(log, request.RemoteAddress, request.Method, AccessLog.Target(request.Target), request.Protocol, status);

    // Source-generated: no parsing of the template and no boxing per request.
    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "{Remote} - \"{Method} {Target} {Protocol}\" {Status}")]
    private static partial void Line(ILogger log, string remote, string method, string target, string protocol, string status);
}
