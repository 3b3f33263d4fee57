using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Usrv.Route;

/// <summary>
/// A parameter marked <see cref="FromCookieAttribute"/> gets the request cookie of its name (<see cref="UsrvRequest.Cookies"/>),
/// converted as a query value is; a protected one is unprotected first, and reads as absent when it does not unprotect.
/// </summary>
internal sealed class CookieSource : IParameterSource
{
    /// <summary>The log category of cookies that do not unprotect: <c>Usrv.Route.Cookies</c>.</summary>
    public const string LogCategory = "Usrv.Route.Cookies";

    public ParameterBinder? TryCreate(EndpointParameter parameter)
    {
        if (parameter.Info.GetCustomAttribute<FromCookieAttribute>() is not { } attribute) return null;
        var parser = ValueParsers.For(parameter.Type)
            ?? throw parameter.Refuse($"is a {parameter.TypeName}, which a cookie's text cannot become; use string or a parsable type");
        var name = attribute.Name ?? parameter.Name;
        IDataProtector? protector = null;
        if (attribute.Protected)
        {
            var provider = parameter.Settings.DataProtection
                ?? throw parameter.Refuse(
                    "reads a protected cookie but the router has no RouterOptions.DataProtection "
                    + "(e.g. DataProtectionProvider.Create(\"app\"))");
            protector = ReplyCookie.Protector(provider, name);
        }
        var log = parameter.Settings.Loggers?.CreateLogger(LogCategory) ?? NullLogger.Instance;
        return new Binder(parameter, parser, name, protector, log);
    }

    private sealed class Binder(EndpointParameter parameter, ValueParser parser, string name, IDataProtector? protector, ILogger log)
        : ParameterBinder
    {
        public override object? GetValue(ParameterBindingContext context)
        {
            if (!context.Request.Cookies.TryGetValue(name, out var text)) return parameter.Missing();
            if (protector is not null)
            {
                if (Unprotect(text, context.Request) is not { } opened) return parameter.Missing();
                text = opened;
            }
            return parser(text, out var value) ? value : throw NamedValueSource.NotConvertible(parameter.Name, text, parameter.TypeName);
        }

        private string? Unprotect(string text, UsrvRequest request)
        {
            try
            {
                return protector!.Unprotect(text);
            }
            catch (CryptographicException e)
            {
                log.LogDebug(
                    "cookie '{Cookie}' from {Remote} does not unprotect, read as absent: {Reason}", name, request.RemoteAddress, e.Message);
                return null;
            }
        }
    }
}
