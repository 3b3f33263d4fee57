using Microsoft.Net.Http.Headers;

namespace Usrv.Route;

/// <summary>
/// The reply stage, the last (DESIGN, Replies): the handler's result (a status tuple, an <c>int</c>, a
/// <see cref="Reply"/>) becomes the response; an answer without a status is a 406, as in usrv. A reply's cookies become
/// one <c>Set-Cookie</c> header each, <c>Secure</c> by default when the request came over HTTPS.
/// </summary>
/// <remarks>
/// For a plain <c>GET</c> or <c>HEAD</c> answered 200 it then computes the <c>ETag</c> of a JSON body
/// (<see cref="RouterOptions.ComputeETags"/>) and answers 304 when the request's conditions hold (RFC 9110 section 13; README,
/// Conditional requests). A sealed call gets neither: the stage runs inside the envelope, whose answer is sealed after it,
/// so a 304 or a hash of the plaintext in a header in clear would answer for a body the caller never saw sealed.
/// </remarks>
internal sealed class ReplyStage(RouterSettings settings)
{
    /// <summary>The end of every endpoint's chain.</summary>
    public ValueTask<UsrvResponse> AnswerAsync(UsrvRequest request)
    {
        var response = ReplyConverter.ToResponse(request.HandlerResult, settings.Json);
        if (request.HandlerResult is Reply { Cookies.Count: > 0 } reply) response = WithCookies(response, reply.Cookies, request.IsHttps);
        // Cheapest first: a plain GET with no condition and no ETag to compute leaves here before the sealed-call check.
        if (response.Status != 200 || !ConditionalRequest.Applies(request.Method)) return ValueTask.FromResult(response);
        var conditional = ConditionalRequest.HasCondition(request.Headers);
        if (!(conditional || settings.ComputeETags) || ConditionalRequest.IsSealedCall(request.Headers))
            return ValueTask.FromResult(response);
        if (settings.ComputeETags && response.BodyStream is null
            && string.Equals(response.ContentType, ReplyConverter.JsonContentType, StringComparison.Ordinal)
            && ConditionalRequest.Find(response.Headers, HeaderNames.ETag) is null)
        {
            response = response.WithHeader(HeaderNames.ETag, ConditionalRequest.StrongETagOf(response.Body.Span));
        }
        return ValueTask.FromResult(
            conditional ? ConditionalRequest.Evaluate(request.Headers, response) : response);
    }

    private UsrvResponse WithCookies(UsrvResponse response, List<ReplyCookie> cookies, bool https)
    {
        var headers = new List<KeyValuePair<string, string>>(response.Headers.Count + cookies.Count);
        headers.AddRange(response.Headers);
        foreach (var cookie in cookies) headers.Add(new("Set-Cookie", cookie.ToHeaderValue(https, settings.DataProtection)));
        return new UsrvResponse(response.Status, response.ContentType, response.Body)
        {
            BodyStream = response.BodyStream,
            BodyWriter = response.BodyWriter,
            Headers = headers,
        };
    }
}
