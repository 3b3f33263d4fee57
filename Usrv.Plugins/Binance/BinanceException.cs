using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Plugins.Binance;

/// <summary>
/// Binance answered outside 2xx: a <see cref="UsrvCallException"/> whose <see cref="UsrvCallException.Detail"/> is
/// Binance's <see cref="Msg"/> and whose <see cref="UsrvCallException.Title"/> is the HTTP reason phrase. Binance's error
/// body is <c>{"code": -1121, "msg": "Invalid symbol."}</c> (Binance Spot API, "Error codes"): <see cref="Code"/> and
/// <see cref="Msg"/> hold it. Common codes: -1021 timestamp outside the recvWindow (or 1000 ms ahead of the server), -1022
/// signature not valid, -1102 mandatory parameter missing, -1121 invalid symbol (all HTTP 400); -2014 API-key format
/// invalid and -2015 API key, IP or permissions refused (HTTP 401). A body in another shape (a WAF page, a 429 without
/// JSON) gives <see cref="Code"/> 0 and the body's text (at most 500 characters, <see cref="ErrorBody.Text"/>) as
/// <see cref="Msg"/>, or the reason phrase when the body is empty or binary.
/// </summary>
/// <remarks>
/// <see cref="UsrvCallException.Status"/> is the HTTP status: 400 for request errors, 401 for API-key errors, 429/418 for
/// rate limits. The message names the method, the path, the status, the code and msg; never the query, the key or the
/// secret.
/// </remarks>
public sealed class BinanceException : UsrvCallException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">HTTP method of the call.</param>
    /// <param name="path">Path of the call without its query, e.g. <c>/api/v3/account</c>.</param>
    /// <param name="status">HTTP status answered.</param>
    /// <param name="code">Binance's error code (negative), or 0 when the body was not Binance's error JSON.</param>
    /// <param name="msg">Binance's message, or the body's text.</param>
    /// <param name="body">The decoded body (<see cref="ErrorBody.Body"/>), or <c>null</c>.</param>
    public BinanceException(string method, string path, int status, int code, string msg, object? body = null)
        : base($"Binance {method} {path} answered {status}: {code} {msg}", status, ProblemDetails.Title(status), msg, body)
    {
        Code = code;
    }

    /// <summary>Binance's error code, e.g. -1022; 0 when the body was not Binance's error JSON.</summary>
    public int Code { get; }

    /// <summary>
    /// Binance's message, e.g. <c>Signature for this request is not valid.</c>: the exception's
    /// <see cref="UsrvCallException.Detail"/>.
    /// </summary>
    public string Msg => Detail ?? "";
}
