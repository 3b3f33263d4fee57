namespace Usrv.Route;

/// <summary>Per-request state the binder reads: the request, its decoded query and path captures, and the body once read.</summary>
internal sealed class BindingContext
{
    public BindingContext(UsrvRequest request, QueryString query, RouteValue[] captures)
    {
        Request = request;
        Query = query;
        Captures = captures;
    }

    public UsrvRequest Request { get; }
    public QueryString Query { get; }
    public RouteValue[] Captures { get; }

    /// <summary>The body bytes; set before binding when the plan needs the body.</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>The multipart body, when the request has one and the plan needs the body; disposed by the router.</summary>
    public FormData? Form { get; set; }

    private bool _dataDone;
    private object? _data;

    /// <summary>usrv's <c>data</c>, computed once: the <see cref="FormData"/>, text, bytes or <c>null</c>.</summary>
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

    private Dictionary<string, string>? _headers;

    /// <summary>usrv's <c>headers</c>: lower-cased names, computed once.</summary>
    public Dictionary<string, string> Headers => _headers ??= Request.Headers.ToLowerCaseDictionary();
}
