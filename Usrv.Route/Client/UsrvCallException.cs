namespace Usrv.Route.Client;

/// <summary>
/// A call answered with a status outside 2xx: the base of the client's call failures. <see cref="Peer"/> throws it with
/// the answer's RFC 9457 problem details (<see cref="Title"/>, <see cref="Detail"/>) when the server sent them; the API
/// clients of Usrv.Plugins throw their own kinds of it (<c>PinataException</c>, <c>BinanceException</c>) with their
/// vendor's error fields, so one <c>catch (UsrvCallException e)</c> takes any refusal and its <see cref="Status"/>.
/// Status, title, detail and body are read by <see cref="ErrorBody"/>.
/// </summary>
/// <remarks>
/// Not a call failure of this kind: the server out of reach (<see cref="HttpRequestException"/>), no answer in time
/// (<see cref="TimeoutException"/>), or a sealed call's answer that cannot be trusted (<see cref="UntrustedResponseException"/>).
/// </remarks>
public class UsrvCallException : Exception
{
    /// <summary>Creates the exception; its message is <c>METHOD URL answered STATUS TITLE: DETAIL</c>.</summary>
    /// <param name="method">HTTP method of the call.</param>
    /// <param name="url">The URL called.</param>
    /// <param name="status">The HTTP status answered.</param>
    /// <param name="title">Problem <c>title</c>, or the reason phrase.</param>
    /// <param name="detail">Problem <c>detail</c>, or the body text (truncated), or <c>null</c>.</param>
    /// <param name="body">The decoded body (problem details as a dictionary, text, bytes...).</param>
    public UsrvCallException(string method, Uri url, int status, string title, string? detail, object? body)
        : this($"{method} {url} answered {status} {title}{(detail is null ? "" : ": " + detail)}", status, title, detail, body)
    {
    }

    /// <summary>Creates the exception with a message of a derived kind's own (which must hold no secret of the call).</summary>
    /// <param name="message">The message, e.g. naming the API, the method and the path.</param>
    /// <param name="status">The HTTP status answered.</param>
    /// <param name="title">The refusal's short name: problem <c>title</c>, a vendor's reason code, or the reason phrase.</param>
    /// <param name="detail">The refusal's explanation: problem <c>detail</c>, a vendor's message, the body text, or <c>null</c>.</param>
    /// <param name="body">The decoded body, or <c>null</c>.</param>
    protected UsrvCallException(string message, int status, string title, string? detail, object? body)
        : base(message)
    {
        Status = status;
        Title = title;
        Detail = detail;
        Body = body;
    }

    /// <summary>The HTTP status answered.</summary>
    public int Status { get; }

    /// <summary>RFC 9457 <c>title</c>, or the reason phrase (a derived kind may put its vendor's reason here).</summary>
    public string Title { get; }

    /// <summary>
    /// RFC 9457 <c>detail</c>, or the body text (truncated), or <c>null</c> (a derived kind may put its vendor's message here).
    /// </summary>
    public string? Detail { get; }

    /// <summary>
    /// True when the answer was a usrv/2 sealed answer whose signature by the expected server verified; false for a plain
    /// answer, whose problem details anyone on the path could have written (DESIGN, Sealed calls: unauthenticated).
    /// </summary>
    public bool IsAuthenticated { get; init; }

    /// <summary>The decoded response body.</summary>
    public object? Body { get; }
}
