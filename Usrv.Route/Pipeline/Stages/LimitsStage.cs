namespace Usrv.Route;

/// <summary>
/// The size limits every request meets before anything else reads it, the same on every host (DESIGN, The request's
/// way through): an overlong request-target (414), oversized headers (431, RFC 6585), a declared body over the limit
/// (413; multipart bodies have their own, <see cref="MultipartLimits.MaxTotalBytes"/>).
/// </summary>
internal sealed class LimitsStage(RouterSettings settings) : IUsrvStage
{
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        if (request.Target.Length > settings.MaxUrlLength)
        {
            return ProblemDetails.Answer(new ProblemException(
                414,
                $"the request-target has {request.Target.Length} characters; the limit is {settings.MaxUrlLength}"));
        }
        long headerBytes = request.Headers.MeasureBytes();
        if (headerBytes > settings.MaxHeaderBytes)
        {
            return ProblemDetails.Answer(new ProblemException(
                431, $"the request headers take {headerBytes} bytes; the limit is {settings.MaxHeaderBytes}"));
        }
        long limit = settings.MaxBodyBytesFor(request.ContentType);
        if (request.ContentLength > limit) return ProblemDetails.Answer(BodyProblems.TooLarge(limit));
        return next(request);
    }
}
