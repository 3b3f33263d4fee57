namespace Usrv.Route.Client;

/// <summary>
/// Turns a <see cref="Peer"/>'s answer outside 2xx into a <see cref="UsrvCallException"/>: status, title, detail and
/// body as <see cref="ErrorBody"/> reads them, and whether the refusal is authenticated (a sealed answer whose signature
/// by the expected server verified; DESIGN, Sealed calls).
/// </summary>
internal static class CallErrors
{
    /// <summary>Returns <paramref name="response"/> when it is 2xx.</summary>
    /// <param name="call">The call answered (its method and path name it in the message).</param>
    /// <param name="baseAddress">The peer's base address.</param>
    /// <param name="response">The answer.</param>
    /// <exception cref="UsrvCallException">The answer is not 2xx.</exception>
    public static PeerResponse EnsureSuccess(PeerCall call, Uri baseAddress, PeerResponse response)
    {
        if (response.IsSuccess) return response;
        var answer = ErrorBody.Read(response);
        var url = new Uri(baseAddress, call.Path);
        throw new UsrvCallException(call.Method.Method, url, answer.Status, answer.Title, answer.Detail, answer.Body)
        {
            IsAuthenticated = response.SealedBy is not null,
        };
    }
}
