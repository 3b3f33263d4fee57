namespace Usrv.Route;

/// <summary>The problems of reading a request body, worded once for every place that reads one (limits, envelope, forms).</summary>
public static class BodyProblems
{
    /// <summary>413: the body (declared or read so far) is larger than <paramref name="limit"/> bytes.</summary>
    public static ProblemException TooLarge(long limit) => new(413, $"the request body is larger than the limit of {limit} bytes");

    /// <summary>
    /// 413: a multipart body is larger than <paramref name="limit"/> bytes (<see cref="MultipartLimits.MaxTotalBytes"/>).
    /// </summary>
    public static ProblemException MultipartTooLarge(long limit) =>
        new(413, $"the multipart body is larger than the limit of {limit} bytes");

    /// <summary>400: the connection failed, or the client stopped sending, before the whole body arrived.</summary>
    public static ProblemException Incomplete() =>
        new(400, "the request body could not be read: the connection failed before the whole body arrived");

    /// <summary>
    /// 400: the body has <paramref name="received"/> bytes where <c>Content-Length</c> declared <paramref name="declared"/>.
    /// </summary>
    public static ProblemException LengthMismatch(long received, long declared) =>
        new(400, $"the request body has {received} bytes but Content-Length says {declared}");
}
