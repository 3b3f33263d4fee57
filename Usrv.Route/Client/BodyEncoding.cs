namespace Usrv.Route.Client;

/// <summary>How a call's named values are encoded as the body of POST, PUT, PATCH and OPTIONS calls (usrv's <c>_encoder</c>).</summary>
public enum BodyEncoding
{
    /// <summary><c>application/json</c>: the values as one JSON object (the default).</summary>
    Json,
    /// <summary><c>application/x-www-form-urlencoded</c> (HTML forms).</summary>
    Form,
    /// <summary>
    /// <c>multipart/form-data</c> (RFC 7578): fields, and files from <see cref="FileInfo"/>, <see cref="Stream"/> or
    /// <c>byte[]</c> values.
    /// </summary>
    Multipart,
}
