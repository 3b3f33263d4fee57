namespace Usrv.Route;

/// <summary>A <see cref="UsrvRequest"/> parameter gets the request itself (after the envelope stage: the opened one).</summary>
internal sealed class RequestSource : IParameterSource
{
    private static readonly ParameterBinder Request = ParameterBinder.From(context => context.Request);

    public ParameterBinder? TryCreate(EndpointParameter parameter) => parameter.Type == typeof(UsrvRequest) ? Request : null;
}
