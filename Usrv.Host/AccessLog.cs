using Microsoft.Extensions.Logging;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// One line per request, as usrv (and werkzeug) writes it: <c>127.0.0.1:52579 - "GET /user/bob HTTP/1.1" 200</c>,
/// at Information level in the category <see cref="Category"/>; <c>-</c> for the status when no answer could be sent.
/// </summary>
public static class AccessLog
{
    /// <summary>The logger category: <c>Usrv.Access</c>.</summary>
    public const string Category = "Usrv.Access";

    /// <summary>Writes the line for <paramref name="request"/>.</summary>
    public static void Write(ILogger log, UsrvRequest request, int status)
    {
        if (!log.IsEnabled(LogLevel.Information)) return;
        log.LogInformation("{Remote} - \"{Method} {Target} {Protocol}\" {Status}",
            request.RemoteAddress, request.Method, request.Target, request.Protocol, status == 0 ? "-" : status);
    }
}
