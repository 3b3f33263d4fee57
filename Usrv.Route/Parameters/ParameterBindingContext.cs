using Microsoft.Extensions.DependencyInjection;

namespace Usrv.Route;

/// <summary>
/// What a <see cref="ParameterBinder"/> reads for one request: the request, its decoded query and route values, the body
/// once read, usrv's <c>headers</c> and <c>data</c> values, and the request's services. Made by the parameters stage,
/// one per request.
/// </summary>
public sealed class ParameterBindingContext
{
    private readonly EndpointParameters _endpoint;
    private bool _dataDone;
    private object? _data;
    private Dictionary<string, string>? _headers;
    private AsyncServiceScope? _scope;

    internal ParameterBindingContext(UsrvRequest request, EndpointParameters endpoint)
    {
        Request = request;
        _endpoint = endpoint;
    }

    /// <summary>The request.</summary>
    public UsrvRequest Request { get; }

    /// <summary>The decoded query (usrv: a query value overrides a path value of the same name).</summary>
    public QueryString Query => Request.Query;

    /// <summary>The values the route pattern captured, in the order of <see cref="RoutePattern.Captures"/>.</summary>
    public IReadOnlyList<RouteValue> RouteValues => Request.RouteValues;

    /// <summary>The body bytes, when a parameter reads the body and it is not multipart; empty otherwise.</summary>
    public byte[] Body { get; internal set; } = [];

    /// <summary>The multipart body (RFC 7578), when a parameter reads the body and it is multipart; else <c>null</c>.</summary>
    public FormData? Form { get; internal set; }

    /// <summary>usrv's <c>data</c>, made once: the <see cref="FormData"/>, text for text-like bodies, bytes, or <c>null</c>.</summary>
    public object? Data
    {
        get
        {
            if (!_dataDone)
            {
                _data = Form ?? RequestBody.ToData(Body, Request.ContentType);
                _dataDone = true;
            }
            return _data;
        }
    }

    /// <summary>
    /// usrv's <c>headers</c>, made once: a dictionary keyed by lower-cased name, or by the names as received under
    /// <see cref="RouterOptions.Usrv04Compatible"/> (<see cref="RequestHeaders.ToDictionary"/>, as usrv 0.4.3).
    /// </summary>
    public Dictionary<string, string> Headers => _headers ??= _endpoint.Settings.Usrv04Compatible
        ? Request.Headers.ToDictionary()
        : Request.Headers.ToLowerCaseDictionary();

    /// <summary>
    /// The request's services: <see cref="UsrvRequest.Services"/> when the host gives them (ASP.NET Core), else a scope of
    /// <see cref="RouterOptions.Services"/> made on first use and disposed when the request ends; <c>null</c> without any.
    /// </summary>
    public IServiceProvider? Services
    {
        get
        {
            if (Request.Services is { } given) return given;
            if (_scope is { } scope) return scope.ServiceProvider;
            if (_endpoint.Settings.Services is not { } root) return null;
            _scope = root.CreateAsyncScope();
            return _scope.Value.ServiceProvider;
        }
    }

    internal EndpointParameters Endpoint => _endpoint;

    /// <summary>Ends the request's resources: temporary files of large multipart parts, the service scope.</summary>
    internal async ValueTask DisposeAsync()
    {
        if (Form is { } form) await form.DisposeAsync().ConfigureAwait(false);
        if (_scope is { } scope) await scope.DisposeAsync().ConfigureAwait(false);
    }
}
