namespace Usrv.Route;

/// <summary>
/// One place a handler's argument can come from (DESIGN, Binding): the path and query, usrv's <c>*args</c> and
/// <c>**kwargs</c>, the request, a cancellation token, a form, a JSON body, a service. At bind time the router asks each
/// source in turn, first <see cref="RouterOptions.ParameterSources"/> then the built-in ones, and the first that takes the
/// parameter decides how its value is produced for every request; adding a source is adding a class.
/// </summary>
/// <example><code>
/// // Gives an IPAddress parameter the caller's address.
/// sealed class ClientAddressSource : IParameterSource
/// {
///     public ParameterBinder? TryCreate(EndpointParameter parameter) =>
///         parameter.Type == typeof(IPAddress)
///             ? ParameterBinder.From(context => IPEndPoint.Parse(context.Request.RemoteAddress).Address)
///             : null;
/// }
/// var router = new Router(new RouterOptions { ParameterSources = { new ClientAddressSource() } });
/// </code></example>
public interface IParameterSource
{
    /// <summary>
    /// Called once per parameter, at bind time: the binder that produces its value per request, or <c>null</c> when this
    /// source does not take the parameter.
    /// </summary>
    /// <param name="parameter">The parameter, with its endpoint's route pattern and the router's settings.</param>
    /// <exception cref="BindingException">The source takes the parameter but it cannot be bound as declared
    /// (use <see cref="EndpointParameter.Refuse"/>); the endpoint is then not bound.</exception>
    ParameterBinder? TryCreate(EndpointParameter parameter);
}
