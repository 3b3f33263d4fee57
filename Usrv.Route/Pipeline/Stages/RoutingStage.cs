namespace Usrv.Route;

/// <summary>
/// The routing stage (DESIGN, The request's way through): method and path to an endpoint and its captured values, from
/// the router's copy-on-write route table (no lock, nothing allocated on a miss). It records
/// <see cref="UsrvRequest.Binding"/> and the route values on the request, checks the
/// endpoint's <c>path</c> capture (DESIGN, Binding: a dot-segment, an empty segment, a NUL or a backslash is a 400) and its
/// sender policy (usrv/2 step h: 401 plain, 403 a key not admitted), and hands the request to the endpoint's
/// own chain. No match: 404, or 405 with <c>Allow</c> when the path is bound for other methods; where no binding of the
/// user's matches, the built-in endpoints answer (<c>GET /puk</c>, <c>GET /.well-known/usrv-keys</c>, <c>GET /openapi.json</c>),
/// then the static folders (<see cref="Router.MapStaticFiles"/>).
/// </summary>
internal sealed class RoutingStage(
    RouterSettings settings,
    Func<RouteTable> table,
    PublishedKeys? published,
    OpenApiEndpoint? openApi,
    StaticFileSet? staticFiles = null)
    : IUsrvStage
{
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        request.ServerKey = settings.Identity.PublicKey;
        RequestTarget.Split(request.Target, out var path, out var segments, out _);
        _ = request.Query; // a malformed query is a 400 before any handler runs, as before
        var match = table().Find(request.Method, path, segments);
        if (match.Binding is not { } binding)
        {
            if (match.Allow is null && published?.Answer(request.Method, path) is { } keys) return ValueTask.FromResult(keys);
            if (match.Allow is null && openApi?.Answer(request.Method, path) is { } document) return ValueTask.FromResult(document);
            if (match.Allow is null && staticFiles?.Answer(request, segments) is { } file) return ValueTask.FromResult(file);
            return ProblemDetails.Answer(match.Allow is null
                ? new ProblemException(404, $"no binding matches {request.Method} {path}")
                : new ProblemException(
                    405,
                    $"{request.Method} is not bound for {path}; allowed: {match.Allow}",
                    headers: [new("Allow", match.Allow)]));
        }
        request.Binding = binding;
        request.RouteValues = match.Captures;
        if (binding.Pattern.Refusal(match.Captures) is { } unsafePath) return ProblemDetails.Answer(unsafePath);
        if (binding.SenderPolicy is { } policy && Admit(policy, request.Sender) is { } refusal) return ProblemDetails.Answer(refusal);
        return binding.Handle(request);
    }

    // usrv/2 step h (DESIGN, Keys, senders, replay).
    private ProblemException? Admit(RequireSenderAttribute policy, Usrv.Crypto.PublicKey? sender)
    {
        if (sender is null)
        {
            return new ProblemException(
                401,
                "this endpoint answers only usrv/2 sealed calls: seal the call for the server's key (GET /puk)");
        }
        if (policy.Set is { } set && !settings.Senders[set].Contains(sender))
        {
            return new ProblemException(403, $"the sender {sender} is not admitted by this endpoint's sender set '{set}'");
        }
        return null;
    }
}
