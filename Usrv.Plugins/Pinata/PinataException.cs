using Usrv.Route.Client;

namespace Usrv.Plugins.Pinata;

/// <summary>
/// Pinata answered outside 2xx: a <see cref="UsrvCallException"/> whose <see cref="UsrvCallException.Title"/> is
/// Pinata's reason and whose <see cref="UsrvCallException.Detail"/> is Pinata's details. Pinata's error body comes in two
/// shapes (Pinata API, as answered by <c>api.pinata.cloud</c>):
/// <c>{"error": {"reason": "INVALID_CREDENTIALS", "details": "Invalid/expired credentials"}}</c> and the plain
/// <c>{"error": "Invalid request format."}</c>. The first fills <see cref="Reason"/> and <see cref="Details"/>; the second
/// puts its text in <see cref="Reason"/>. Any other body gives the HTTP reason phrase as <see cref="Reason"/> and the
/// body's text (at most 500 characters, <see cref="ErrorBody.Text"/>; none for a binary body) as <see cref="Details"/>.
/// </summary>
/// <remarks>
/// <see cref="UsrvCallException.Status"/> is the HTTP status, e.g. 401 for a JWT Pinata refuses, 400 for a malformed
/// request. The message names the method, the path and the status; it never holds the JWT.
/// </remarks>
public sealed class PinataException : UsrvCallException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">HTTP method of the call.</param>
    /// <param name="path">Path of the call, e.g. <c>/pinning/unpin/bafy...</c>.</param>
    /// <param name="status">HTTP status answered.</param>
    /// <param name="reason">Pinata's <c>error.reason</c>, or the plain <c>error</c> text, or the reason phrase.</param>
    /// <param name="details">Pinata's <c>error.details</c>, or <c>null</c>.</param>
    /// <param name="body">The decoded body (<see cref="ErrorBody.Body"/>), or <c>null</c>.</param>
    public PinataException(string method, string path, int status, string reason, string? details, object? body = null)
        : base($"Pinata {method} {path} answered {status} {reason}{(details is null ? "" : ": " + details)}", status, reason, details, body)
    {
    }

    /// <summary>
    /// Pinata's reason code (e.g. <c>INVALID_CREDENTIALS</c>, <c>CURRENT_USER_HAS_NOT_PINNED_CID</c>) or plain error text:
    /// the exception's <see cref="UsrvCallException.Title"/>.
    /// </summary>
    public string Reason => Title;

    /// <summary>Pinata's human-readable details, or <c>null</c>: the exception's <see cref="UsrvCallException.Detail"/>.</summary>
    public string? Details => Detail;
}
