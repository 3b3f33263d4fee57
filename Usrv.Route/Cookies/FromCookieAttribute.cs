namespace Usrv.Route;

/// <summary>
/// Fills a parameter from a request cookie (RFC 6265 section 5.4; <see cref="UsrvRequest.Cookies"/>): the cookie of the
/// parameter's name, or of <see cref="Name"/>. The parameter's type is one a query value converts to (<c>string</c>, numbers,
/// <c>Guid</c>, enums, <c>IParsable&lt;T&gt;</c>); a missing cookie takes the parameter's default, else <c>null</c> for
/// nullable types, else 400; a value that does not convert is a 400 naming the parameter.
/// </summary>
/// <example><code>
/// [Bind("/me")]
/// public static (int, object?) Me([FromCookie] string? theme, [FromCookie("sid", Protected = true)] string? session) => ...;
/// </code></example>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class FromCookieAttribute : Attribute
{
    /// <summary>Reads the cookie of the parameter's name, or <paramref name="name"/>.</summary>
    /// <param name="name">The cookie's name, when it is not the parameter's.</param>
    public FromCookieAttribute(string? name = null) => Name = name;

    /// <summary>The cookie's name; <c>null</c> for the parameter's name.</summary>
    public string? Name { get; }

    /// <summary>
    /// True when the cookie was set by <see cref="Reply.WithProtectedCookie"/>: its value is unprotected with
    /// <see cref="RouterOptions.DataProtection"/>, and a value that does not unprotect (altered by the client, made with
    /// other keys, or not protected at all) reads as absent and is logged at debug level, as ASP.NET Core treats a tampered
    /// authentication cookie. An endpoint with such a parameter and a router without data protection is refused at bind time.
    /// </summary>
    public bool Protected { get; init; }
}
