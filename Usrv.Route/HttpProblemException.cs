namespace Usrv.Route;

/// <summary>
/// A request failure with an HTTP status, answered as an RFC 9457 problem (status, title, detail).
/// Thrown by the request path (query parsing, the binder, body reading) and by handlers that want a
/// specific 4xx answer; the router turns it into a problem response and keeps serving.
/// </summary>
public class HttpProblemException : Exception
{
    /// <summary>Creates a problem with <paramref name="status"/> (4xx or 5xx) and a detail for the client.</summary>
    /// <param name="status">The HTTP status code to answer.</param>
    /// <param name="detail">RFC 9457 <c>detail</c>: a human-readable explanation safe to show the client.</param>
    public HttpProblemException(int status, string detail) : base(detail)
    {
        Status = status;
    }

    /// <summary>The HTTP status code to answer.</summary>
    public int Status { get; }
}
