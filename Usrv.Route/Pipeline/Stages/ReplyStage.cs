namespace Usrv.Route;

/// <summary>
/// The reply stage, the last (DESIGN, Replies): the handler's result (a status tuple, an <c>int</c>, a
/// <see cref="Reply"/>) becomes the response; an answer without a status is a 406, as in usrv. A reply's cookies become
/// one <c>Set-Cookie</c> header each, <c>Secure</c> by default when the request came over HTTPS.
/// </summary>
internal sealed class ReplyStage(RouterSettings settings)
{
    /// <summary>The end of every endpoint's chain.</summary>
    public ValueTask<UsrvResponse> AnswerAsync(UsrvRequest request)
    {
        var response = ReplyConverter.ToResponse(request.HandlerResult, settings.Json);
        if (request.HandlerResult is Reply { Cookies.Count: > 0 } reply) response = WithCookies(response, reply.Cookies, request.IsHttps);
        return ValueTask.FromResult(response);
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
