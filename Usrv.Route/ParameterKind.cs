namespace Usrv.Route;

/// <summary>Where the binder takes a parameter's value from; decided once per parameter at bind time.</summary>
internal enum ParameterKind
{
    /// <summary>A named value from the query (last wins) or a path capture, converted to the parameter type.</summary>
    Named,
    /// <summary>An array or list parameter: every query value of that name (else the path capture).</summary>
    NamedCollection,
    /// <summary>usrv <c>*args</c>: <c>params object?[]</c>.</summary>
    Args,
    /// <summary>usrv <c>**kwargs</c>: a <c>string</c> to <c>object?</c> dictionary.</summary>
    Kwargs,
    /// <summary>A parameter named <c>method</c>: the HTTP method (usrv passes it to every handler).</summary>
    Method,
    /// <summary>A parameter named <c>headers</c>: the lower-cased header dictionary (usrv).</summary>
    Headers,
    /// <summary>A parameter named <c>data</c>: the body (text, bytes or null), as usrv passes it.</summary>
    Data,
    /// <summary>The <see cref="UsrvRequest"/> itself.</summary>
    Request,
    /// <summary>A <see cref="System.Threading.CancellationToken"/>: <see cref="UsrvRequest.Aborted"/>.</summary>
    CancellationToken,
    /// <summary>A <see cref="FormData"/> parameter: the multipart body (RFC 7578), <c>null</c> for other bodies.</summary>
    Form,
    /// <summary>One complex-typed parameter deserialised from a JSON body (as ASP.NET Core does).</summary>
    JsonBody,
}
