namespace Usrv.Route;

/// <summary>
/// A <see cref="CancellationToken"/> parameter gets <see cref="UsrvRequest.Aborted"/>: the client left or the host stops.
/// </summary>
internal sealed class CancellationSource : IParameterSource
{
    private static readonly ParameterBinder Aborted = ParameterBinder.From(context => context.Request.Aborted);

    public ParameterBinder? TryCreate(EndpointParameter parameter) => parameter.Type == typeof(CancellationToken) ? Aborted : null;
}
