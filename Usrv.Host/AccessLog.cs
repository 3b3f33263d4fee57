using Microsoft.Extensions.Logging;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// One line per request, as usrv (and werkzeug) writes it: <c>127.0.0.1:52579 - "GET /user/bob HTTP/1.1" 200</c>,
/// at Information level in the category <see cref="Category"/>; <c>-</c> for the status when no answer could be sent.
/// </summary>
public static partial class AccessLog
{
    /// <summary>The logger category: <c>Usrv.Access</c>.</summary>
    public const string Category = "Usrv.Access";

    /// <summary>Writes the line for <paramref name="request"/>.</summary>
    public static void Write(ILogger log, UsrvRequest request, int status)
    {
        if (!log.IsEnabled(LogLevel.Information)) return;
        Line(log, request.RemoteAddress, request.Method, request.Target, request.Protocol, status == 0 ? "-" : StatusText(status));
    }

    // Source-generated: no parsing of the template and no boxing per request.
    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "{Remote} - \"{Method} {Target} {Protocol}\" {Status}")]
    private static partial void Line(ILogger log, string remote, string method, string target, string protocol, string status);

    private static readonly string[] StatusTexts = [.. Enumerable.Range(0, 600).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static string StatusText(int status) => status is >= 0 and < 600 ? StatusTexts[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
