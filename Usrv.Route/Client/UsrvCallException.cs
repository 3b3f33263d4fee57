namespace Usrv.Route.Client;

/// <summary>
/// A call through <see cref="Peer"/> answered with a status outside 2xx. Carries the status and, when the server
/// sent RFC 9457 problem details, their <c>title</c> and <c>detail</c>.
/// </summary>
public sealed class UsrvCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">HTTP method of the call.</param>
    /// <param name="url">The URL called.</param>
    /// <param name="status">The HTTP status answered.</param>
    /// <param name="title">Problem <c>title</c>, or the reason phrase.</param>
    /// <param name="detail">Problem <c>detail</c>, or the body text (truncated), or <c>null</c>.</param>
    /// <param name="body">The decoded body (problem details as a dictionary, text, bytes...).</param>
    public UsrvCallException(string method, Uri url, int status, string title, string? detail, object? body)
        : base($"{method} {url} answered {status} {title}{(detail is null ? "" : ": " + detail)}")
    {
        Status = status;
        Title = title;
        Detail = detail;
        Body = body;
    }

    /// <summary>The HTTP status answered.</summary>
    public int Status { get; }

    /// <summary>RFC 9457 <c>title</c>, or the reason phrase.</summary>
    public string Title { get; }

    /// <summary>RFC 9457 <c>detail</c>, or <c>null</c>.</summary>
    public string? Detail { get; }

    /// <summary>
    /// True when the answer was a usrv/2 sealed answer whose signature by the expected server verified; false for a plain
    /// answer, whose problem details anyone on the path could have written (DESIGN, Sealed calls: unauthenticated).
    /// </summary>
    public bool IsAuthenticated { get; init; }

    /// <summary>The decoded response body.</summary>
    public object? Body { get; }
}
