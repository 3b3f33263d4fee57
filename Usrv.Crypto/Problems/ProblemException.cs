namespace Usrv;

/// <summary>
/// The one failure type of usrv's request path (DESIGN, The request's way through): an HTTP status with the members of
/// an RFC 9457 problem details object (<c>type</c>, <c>title</c>, <c>detail</c>) and optional response headers. Every
/// stage throws it (limits, envelope, router, parameters, reply) and a handler may throw it to answer a 4xx of its own;
/// one place, the pipeline's problem boundary, turns it into an <c>application/problem+json</c> answer.
/// </summary>
/// <remarks>
/// It lives in the lowest package (Usrv.Crypto) so that the usrv/2 envelope's failures can derive from it
/// (<c>EnvelopeException</c>); its namespace is the root <c>Usrv</c>, shared by every usrv package.
/// The detail is shown to the client: it never holds secret material or exception text.
/// </remarks>
/// <example><code>
/// [Bind("/teapot")]
/// public static int Teapot() => throw new ProblemException(418, "short and stout");
/// </code></example>
public class ProblemException : Exception
{
    /// <summary>Creates a problem.</summary>
    /// <param name="status">The HTTP status to answer (400-599).</param>
    /// <param name="detail">RFC 9457 <c>detail</c>: a human-readable explanation safe to show the client.</param>
    /// <param name="title">RFC 9457 <c>title</c>; <c>null</c> for the status's reason phrase (RFC 9110 section 15).</param>
    /// <param name="type">RFC 9457 <c>type</c>, a URI naming the problem type; <c>null</c> for <c>about:blank</c>.</param>
    /// <param name="headers">Headers to send with the answer (e.g. <c>WWW-Authenticate</c> on a 401); <c>null</c> for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not 400-599.</exception>
    public ProblemException(int status, string? detail, string? title = null, string? type = null,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null)
        : base(detail ?? $"HTTP {status}")
    {
        if (status is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(status), status, "a problem's status is 400-599");
        Status = status;
        Detail = detail;
        Title = title;
        Type = type;
        Headers = headers ?? [];
    }

    /// <summary>The HTTP status to answer (400-599).</summary>
    public int Status { get; }

    /// <summary>RFC 9457 <c>detail</c>, or <c>null</c> to leave it out.</summary>
    public string? Detail { get; }

    /// <summary>RFC 9457 <c>title</c>, or <c>null</c> for the status's reason phrase.</summary>
    public string? Title { get; }

    /// <summary>RFC 9457 <c>type</c> (a URI), or <c>null</c> for <c>about:blank</c> (RFC 9457 section 4.2.1).</summary>
    public string? Type { get; }

    /// <summary>Headers to send with the answer, in order; never <c>Content-Type</c> or <c>Content-Length</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
}
