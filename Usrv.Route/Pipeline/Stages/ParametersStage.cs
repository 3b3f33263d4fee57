namespace Usrv.Route;

/// <summary>
/// The parameters stage (DESIGN, The request's way through): reads the body when a parameter needs it (once: a multipart
/// body into a <see cref="FormData"/>, any other into bytes, within the limits), builds the handler's argument array by
/// the endpoint's parameter plan (400 for a bad or missing value), and, when the rest of the chain has answered, ends
/// the request's resources (temporary files of large parts, the service scope).
/// </summary>
internal sealed class ParametersStage(RouterSettings settings) : IUsrvStage
{
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        var parameters = request.Binding!.Parameters;
        if (!parameters.ReadsBody && !parameters.MayHoldResources)
        {
            request.Arguments = parameters.CreateArguments(new ParameterBindingContext(request, parameters));
            return next(request);
        }
        return BindAndRunAsync(request, next, parameters);
    }

    private async ValueTask<UsrvResponse> BindAndRunAsync(UsrvRequest request, UsrvRequestHandler next, EndpointParameters parameters)
    {
        var context = new ParameterBindingContext(request, parameters);
        try
        {
            if (parameters.ReadsBody) await ReadBodyAsync(request, context).ConfigureAwait(false);
            request.Arguments = parameters.CreateArguments(context);
            return await next(request).ConfigureAwait(false);
        }
        finally
        {
            await context.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask ReadBodyAsync(UsrvRequest request, ParameterBindingContext context)
    {
        if (!FormData.IsMultipart(request.ContentType))
        {
            context.Body = await RequestBody.ReadAsync(request, settings.MaxRequestBodyBytes).ConfigureAwait(false);
            return;
        }
        if (request.ContentLength > settings.Multipart.MaxTotalBytes)
            throw BodyProblems.MultipartTooLarge(settings.Multipart.MaxTotalBytes);
        try
        {
            context.Form = await FormData.ReadAsync(request.Body, request.ContentType, settings.Multipart, request.Aborted)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException && !ClientLeftException.Is(e, request))
        {
            throw BodyProblems.Incomplete();
        }
    }
}
