namespace Usrv.Route;

/// <summary>A <see cref="FormData"/> parameter gets the multipart body (RFC 7578); <c>null</c> for any other body.</summary>
internal sealed class FormSource : IParameterSource
{
    private static readonly ParameterBinder Form = ParameterBinder.From(context => context.Form, readsBody: true);

    public ParameterBinder? TryCreate(EndpointParameter parameter) => parameter.Type == typeof(FormData) ? Form : null;
}
