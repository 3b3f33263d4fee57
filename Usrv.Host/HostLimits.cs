using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// The checks every host makes before routing, so that both hosts refuse the same requests with the same bodies:
/// an overlong request-target (414), oversized headers (431, RFC 6585), a declared body over the limit (413).
/// </summary>
public static class HostLimits
{
    /// <summary>A problem response when <paramref name="request"/> is over a limit, else <c>null</c>.</summary>
    /// <param name="request">The request as the host read it.</param>
    /// <param name="router">Gives the body limits (<see cref="RouterOptions.MaxBodyBytesFor"/>).</param>
    /// <param name="maxUrlLength">Longest request-target, in characters.</param>
    /// <param name="maxHeaderBytes">Largest total of header names and values (plus 4 bytes a line), in bytes.</param>
    public static UsrvResponse? Refuse(UsrvRequest request, Router router, int maxUrlLength, int maxHeaderBytes)
    {
        if (request.Target.Length > maxUrlLength)
            return ProblemDetails.Response(414, $"the request-target has {request.Target.Length} characters; the limit is {maxUrlLength}");
        long headerBytes = 0;
        foreach (var (name, value) in request.Headers.All()) headerBytes += name.Length + value.Length + 4;
        if (headerBytes > maxHeaderBytes)
            return ProblemDetails.Response(431, $"the request headers take {headerBytes} bytes; the limit is {maxHeaderBytes}");
        long limit = router.Options.MaxBodyBytesFor(request.ContentType);
        if (request.ContentLength > limit)
            return ProblemDetails.Response(413, $"the request body is larger than the limit of {limit} bytes");
        return null;
    }
}
