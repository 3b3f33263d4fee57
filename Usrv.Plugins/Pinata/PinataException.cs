namespace Usrv.Plugins.Pinata;

/// <summary>
/// Pinata answered outside 2xx. Pinata's error body comes in two shapes (Pinata API, as answered by
/// <c>api.pinata.cloud</c>): <c>{"error": {"reason": "INVALID_CREDENTIALS", "details": "Invalid/expired credentials"}}</c>
/// and the plain <c>{"error": "Invalid request format."}</c>. The first fills <see cref="Reason"/> and
/// <see cref="Details"/>; the second puts its text in <see cref="Reason"/>. Any other body gives the HTTP reason phrase as
/// <see cref="Reason"/> and the body's text (at most 500 characters) as <see cref="Details"/>.
/// </summary>
/// <remarks>The message names the method, the path and the status; it never holds the JWT.</remarks>
public sealed class PinataException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">HTTP method of the call.</param>
    /// <param name="path">Path of the call, e.g. <c>/pinning/unpin/bafy...</c>.</param>
    /// <param name="status">HTTP status answered.</param>
    /// <param name="reason">Pinata's <c>error.reason</c>, or the plain <c>error</c> text, or the reason phrase.</param>
    /// <param name="details">Pinata's <c>error.details</c>, or <c>null</c>.</param>
    public PinataException(string method, string path, int status, string reason, string? details)
        : base($"Pinata {method} {path} answered {status} {reason}{(details is null ? "" : ": " + details)}")
    {
        Status = status;
        Reason = reason;
        Details = details;
    }

    /// <summary>The HTTP status answered, e.g. 401 for a JWT Pinata refuses, 400 for a malformed request.</summary>
    public int Status { get; }

    /// <summary>Pinata's reason code (e.g. <c>INVALID_CREDENTIALS</c>, <c>CURRENT_USER_HAS_NOT_PINNED_CID</c>) or plain error text.</summary>
    public string Reason { get; }

    /// <summary>Pinata's human-readable details, or <c>null</c>.</summary>
    public string? Details { get; }
}
