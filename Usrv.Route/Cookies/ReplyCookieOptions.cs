using Microsoft.AspNetCore.Http;

namespace Usrv.Route;

/// <summary>
/// The attributes of a cookie a <see cref="Reply"/> sets (RFC 6265 section 4.1; <c>SameSite</c> from RFC 6265bis), with
/// secure defaults: <c>HttpOnly</c>, <c>SameSite=Lax</c>, <c>Path=/</c>, and <c>Secure</c> when the request came over
/// HTTPS (<see cref="UsrvRequest.IsHttps"/>). Without <see cref="MaxAge"/> or <see cref="Expires"/> the cookie is a
/// session cookie (the browser drops it when it closes).
/// </summary>
/// <example><code>
/// Reply.Json(200, "ok").WithCookie("theme", "dark", new ReplyCookieOptions { MaxAge = TimeSpan.FromDays(30), HttpOnly = false })
/// </code></example>
public sealed record ReplyCookieOptions
{
    /// <summary>The default attributes: <c>Path=/; HttpOnly; SameSite=Lax</c>, <c>Secure</c> on HTTPS.</summary>
    public static ReplyCookieOptions Default { get; } = new();

    /// <summary><c>Path</c>: the URL path prefix the cookie is sent for; <c>/</c> by default, <c>null</c> for none.</summary>
    public string? Path { get; init; } = "/";

    /// <summary><c>Domain</c>: the host and its subdomains the cookie is sent to; <c>null</c> (the default) for this host only.</summary>
    public string? Domain { get; init; }

    /// <summary><c>Max-Age</c>: how long the cookie lives, in whole seconds (RFC 6265 section 5.2.2); <c>null</c> for none.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary><c>Expires</c>: when the cookie expires (sent as an RFC 9110 HTTP-date, in GMT); <c>null</c> for none.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary><c>HttpOnly</c>: scripts cannot read the cookie. True by default.</summary>
    public bool HttpOnly { get; init; } = true;

    /// <summary>
    /// <c>Secure</c>: the cookie is sent over HTTPS only. <c>null</c> (the default): set when the request came over HTTPS.
    /// Always set with <see cref="SameSiteMode.None"/>, which browsers refuse without it (RFC 6265bis section 4.1.2.7).
    /// </summary>
    public bool? Secure { get; init; }

    /// <summary>
    /// <c>SameSite</c> (RFC 6265bis section 4.1.2.7): <see cref="SameSiteMode.Lax"/> by default; <see cref="SameSiteMode.Strict"/>,
    /// <see cref="SameSiteMode.None"/> (sent cross-site, with <c>Secure</c>), or <see cref="SameSiteMode.Unspecified"/> to
    /// leave the attribute out.
    /// </summary>
    public SameSiteMode SameSite { get; init; } = SameSiteMode.Lax;
}
