namespace Usrv.Route;

/// <summary>
/// The reply stage, the last (DESIGN, Replies): the handler's result (a status tuple, an <c>int</c>, a
/// <see cref="Reply"/>) becomes the response; an answer without a status is a 406, as in usrv.
/// </summary>
internal sealed class ReplyStage(RouterSettings settings)
{
    /// <summary>The end of every endpoint's chain.</summary>
    public ValueTask<UsrvResponse> AnswerAsync(UsrvRequest request) =>
        ValueTask.FromResult(ReplyConverter.ToResponse(request.HandlerResult, settings.Json));
}
