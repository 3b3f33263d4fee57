using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Net.Http.Headers;
using HeaderSameSite = Microsoft.Net.Http.Headers.SameSiteMode;
using HttpSameSite = Microsoft.AspNetCore.Http.SameSiteMode;

namespace Usrv.Route;

/// <summary>
/// A cookie a <see cref="Reply"/> sets (<see cref="Reply.WithCookie"/>, <see cref="Reply.WithProtectedCookie"/>): formatted
/// as one <c>Set-Cookie</c> header (RFC 6265 section 4.1) by the reply stage, which knows whether the request came over HTTPS.
/// </summary>
public sealed class ReplyCookie
{
    /// <summary>The data protection purpose of protected cookies; the cookie's name is a sub-purpose.</summary>
    internal const string ProtectionPurpose = "Usrv.Route.Cookie";

    internal ReplyCookie(string name, string value, ReplyCookieOptions? options, bool isProtected)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _ = new SetCookieHeaderValue(name); // refuses a name that is not an RFC 9110 token
        Name = name;
        Value = value;
        Options = options ?? ReplyCookieOptions.Default;
        IsProtected = isProtected;
    }

    /// <summary>The cookie's name (an RFC 9110 token).</summary>
    public string Name { get; }

    /// <summary>The value as the handler gave it: before percent-encoding, and before protection when
    /// <see cref="IsProtected"/>.</summary>
    public string Value { get; }

    /// <summary>The cookie's attributes.</summary>
    public ReplyCookieOptions Options { get; }

    /// <summary>True when the value is sent protected (encrypted, authenticated) by <see cref="RouterOptions.DataProtection"/>.</summary>
    public bool IsProtected { get; }

    /// <summary>The protector of cookie <paramref name="name"/>: the value is bound to the name.</summary>
    internal static IDataProtector Protector(IDataProtectionProvider provider, string name) =>
        provider.CreateProtector(ProtectionPurpose, name);

    /// <summary>The <c>Set-Cookie</c> header value, for a request over HTTPS when <paramref name="https"/>.</summary>
    /// <exception cref="InvalidOperationException">The cookie is protected and the router has no data protection.</exception>
    internal string ToHeaderValue(bool https, IDataProtectionProvider? protection)
    {
        var value = Value;
        if (IsProtected)
        {
            if (protection is null)
            {
                throw new InvalidOperationException(
                    $"cookie '{Name}' is protected but the router has no RouterOptions.DataProtection (an IDataProtectionProvider)");
            }
            value = Protector(protection, Name).Protect(value);
        }
        var options = Options;
        var header = new SetCookieHeaderValue(Name, Uri.EscapeDataString(value))
        {
            Path = options.Path,
            Domain = options.Domain,
            MaxAge = options.MaxAge is { } age ? TimeSpan.FromSeconds(Math.Floor(age.TotalSeconds)) : null,
            Expires = options.Expires,
            HttpOnly = options.HttpOnly,
            Secure = options.Secure ?? https || options.SameSite == HttpSameSite.None,
            SameSite = options.SameSite switch
            {
                HttpSameSite.None => HeaderSameSite.None,
                HttpSameSite.Lax => HeaderSameSite.Lax,
                HttpSameSite.Strict => HeaderSameSite.Strict,
                _ => HeaderSameSite.Unspecified,
            },
        };
        if (options.SameSite == HttpSameSite.None) header.Secure = true;
        return header.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({(IsProtected ? "protected" : "plain")})");
}
