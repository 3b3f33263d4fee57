using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Usrv.Route;

namespace Usrv.Host.AspNetCore;

/// <summary>
/// The ASP.NET Core adapter: a <see cref="RequestDelegate"/> that maps <see cref="HttpContext"/> to a
/// <see cref="UsrvRequest"/>, calls <see cref="Router.HandleAsync"/> and writes the <see cref="UsrvResponse"/> back.
/// It has no behaviour of its own: the router's stages give the same limits, access log and answers, byte for byte, as
/// on the built-in host.
/// </summary>
public static class UsrvRequestDelegate
{
    /// <summary>Creates the delegate.</summary>
    /// <param name="router">The bindings to serve.</param>
    /// <param name="prefix">
    /// A path prefix the route pattern matched (e.g. <c>/api</c>), stripped before routing; <c>""</c> for none.
    /// </param>
    /// <param name="bodyReadTimeout">Longest wait for the next piece of a body (<see cref="UsrvHostOptions.BodyReadTimeout"/>);
    /// the built-in host's default (30 s) when <c>null</c>.</param>
    public static RequestDelegate Create(Router router, string prefix = "", TimeSpan? bodyReadTimeout = null) =>
        Create(router, prefix, bodyReadTimeout, requestServices: true);

    /// <summary>Creates the delegate, saying whether handlers get the request's services.</summary>
    /// <param name="router">The bindings to serve.</param>
    /// <param name="prefix">A path prefix stripped before routing; <c>""</c> for none.</param>
    /// <param name="bodyReadTimeout">Longest wait for the next piece of a body; 30 s when <c>null</c>.</param>
    /// <param name="requestServices">True to hand handlers the request's services (an application's); false for the
    /// standalone <see cref="KestrelHost"/>, whose application is its own and holds none of the user's services.</param>
    internal static RequestDelegate Create(Router router, string prefix, TimeSpan? bodyReadTimeout, bool requestServices)
    {
        ArgumentNullException.ThrowIfNull(router);
        var timeout = bodyReadTimeout ?? new UsrvHostOptions().BodyReadTimeout;
        prefix = prefix.TrimEnd('/');
        return async context =>
        {
            // The router enforces body limits itself (413 with a problem body); Kestrel's limit is set just above them, so
            // that what the router refuses is not drained after the answer (Kestrel would read a refused body to its end).
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
                bodySize.MaxRequestBodySize = TransportLimit(router, context.Request);
            var request = ToUsrvRequest(router, context, prefix, timeout, requestServices);
            try
            {
                var answer = await router.HandleAsync(request).ConfigureAwait(false);
                bool head = HttpMethods.IsHead(context.Request.Method);
                await ResponseMapping.WriteAsync(new HttpResponseTarget(context.Response), answer, head, context.RequestAborted)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (
                e is ClientLeftException
                || e is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                context.Abort(); // the client went away: nothing to answer
            }
        };
    }

    // Kestrel's body limit for a request: the router's (RouterOptions.MaxBodyBytesFor) for a declared length, which Kestrel
    // compares with Content-Length only; for a chunked body a quarter more and 64 KiB, as Kestrel counts the chunks'
    // framing too (sizes, line ends, extensions, trailers): a body in chunks of 32 bytes or more stays within it.
    private static long? TransportLimit(Router router, HttpRequest request)
    {
        long limit = router.Options.MaxBodyBytesFor(request.ContentType);
        if (request.ContentLength is not null) return limit;
        const long framing = 64 * 1024;
        return limit < (long.MaxValue - framing) / 5 * 4 ? limit + limit / 4 + framing : null;
    }

    private static UsrvRequest ToUsrvRequest(
        Router router, HttpContext context, string prefix, TimeSpan bodyReadTimeout, bool requestServices)
    {
        var http = context.Request;
        var sent = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : http.Path + http.QueryString;
        var target = prefix.Length > 0 ? StripSegments(sent, prefix.Count(c => c == '/')) : sent;
        var connection = context.Connection;
        bool hasBody = http.ContentLength > 0 || (http.ContentLength is null && HasBody(http));
        var body = hasBody ? TimedBody(router, context, bodyReadTimeout) : http.Body;
        return new UsrvRequest(http.Method, target, new HttpContextRequestHeaders(http.Headers), body)
        {
            ContentLength = http.ContentLength ?? (HasBody(http) ? null : 0),
            RemoteIpAddress = connection.RemoteIpAddress,
            RemotePort = connection.RemotePort,
            Protocol = http.Protocol,
            Aborted = context.RequestAborted,
            SignedTarget = sent,
            Scheme = http.IsHttps ? "https" : "http",
            Services = requestServices ? context.RequestServices : null,
        };
    }

    // The same body read timeout as the built-in host (Kestrel's own minimum data rate would answer differently). A method
    // of its own, so that a request without a body allocates no closure.
    private static TimedReadStream TimedBody(Router router, HttpContext context, TimeSpan timeout) =>
        new(context.Request.Body, timeout, context.Abort, e => TooLarge(router, context.Request, e));

    /// <summary>
    /// Drops the first <paramref name="count"/> path segments of a raw target. ASP.NET Core matched the prefix on the
    /// decoded path (<c>/us%72v</c> is <c>/usrv</c>), so the raw text is cut by segments, not by comparing strings.
    /// </summary>
    private static string StripSegments(string target, int count)
    {
        int at = 0;
        for (int i = 0; i < count && at < target.Length && target[at] == '/'; i++)
        {
            int next = target.IndexOfAny(['/', '?'], at + 1);
            at = next < 0 ? target.Length : next;
            if (next >= 0 && target[next] == '?') break;
        }
        var rest = target[at..];
        return rest.Length == 0 || rest[0] != '/' ? "/" + rest : rest;
    }

    // Kestrel refused a chunked body over its limit before the router saw it over its own (Kestrel counts the framing,
    // and reads ahead): the router's refusal, word for word.
    private static ProblemException? TooLarge(Router router, HttpRequest request, Exception failure) =>
        failure is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            ? FormData.IsMultipart(request.ContentType)
                ? BodyProblems.MultipartTooLarge(router.Options.Multipart.MaxTotalBytes)
                : BodyProblems.TooLarge(router.Options.MaxRequestBodyBytes)
            : null;

    private static bool HasBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0
        || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private readonly struct HttpResponseTarget(HttpResponse response) : ITransportResponse
    {
        // Bodies up to this size go into the response pipe and the response is completed at once: Kestrel sends the
        // headers, the body and its end (HTTP/2: END_STREAM on the last DATA frame) in one write, instead of one flush for
        // the body and another when the request ends. (Completing also flushes a pipe an application's middleware put
        // over a body stream of its own.) Larger bodies are written through the stream, with the pipe's backpressure.
        private const int UnflushedBodyBytes = 64 * 1024;

        public Stream Body => response.Body;

        public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            if (body.Length > UnflushedBodyBytes) return response.Body.WriteAsync(body, cancellationToken);
            response.BodyWriter.Write(body.Span);
            return new ValueTask(response.CompleteAsync());
        }

        public void Start(int status, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, long? contentLength)
        {
            response.StatusCode = status;
            if (contentType is not null) response.ContentType = contentType;
            foreach (var (name, value) in headers) response.Headers.Append(name, value);
            // As the built-in host: the unread body must not be taken for the next request (HTTP/2 has no such header).
            if (status == 413 && !HttpProtocol.IsHttp2(response.HttpContext.Request.Protocol)
                && !HttpProtocol.IsHttp3(response.HttpContext.Request.Protocol))
            {
                response.Headers.Connection = "close";
            }
            if (contentLength is long length) response.ContentLength = length;
        }
    }
}
