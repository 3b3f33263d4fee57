namespace Usrv.Route;

/// <summary>A stage written as a lambda: <c>router.Use(async (request, next) =&gt; ...)</c>.</summary>
internal sealed class DelegateStage(Func<UsrvRequest, UsrvRequestHandler, ValueTask<UsrvResponse>> invoke) : IUsrvStage
{
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next) => invoke(request, next);
}
