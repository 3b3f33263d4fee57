using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Usrv.Route;

namespace Usrv.Host.AspNetCore;

/// <summary>
/// Adds usrv bindings to an ASP.NET Core application (usrv behind a production server, as usrv does with WSGI).
/// </summary>
/// <example><code>
/// var app = WebApplication.Create(args);
/// app.MapGet("/health", () => "ok");                      // the app's own endpoints
/// app.MapUsrv(new Router().BindType(typeof(Api)));        // every other path goes to usrv
/// // or: app.MapUsrv("/usrv", router);                    // only /usrv/... (the prefix is stripped before routing)
/// app.Run();
/// </code></example>
public static class UsrvEndpointRouteBuilderExtensions
{
    /// <summary>Maps every path (and method) not taken by another endpoint to <paramref name="router"/>.</summary>
    /// <returns>The endpoint's convention builder (authorization, CORS, rate limiting... as for any endpoint).</returns>
    public static IEndpointConventionBuilder MapUsrv(this IEndpointRouteBuilder endpoints, Router router)
    {
        var builder = endpoints.Map("/{**usrvPath}", UsrvRequestDelegate.Create(router));
        builder.WithDisplayName("usrv");
        builder.Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = int.MaxValue); // the app's own endpoints win
        return builder;
    }

    /// <summary>Maps paths under <paramref name="prefix"/> to <paramref name="router"/>; the prefix is stripped before routing.</summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="prefix">A literal path prefix, e.g. <c>/usrv</c>.</param>
    /// <param name="router">The bindings.</param>
    public static IEndpointConventionBuilder MapUsrv(this IEndpointRouteBuilder endpoints, string prefix, Router router)
    {
        var trimmed = "/" + prefix.Trim('/');
        var builder = endpoints.Map(trimmed + "/{**usrvPath}", UsrvRequestDelegate.Create(router, trimmed));
        builder.WithDisplayName($"usrv {trimmed}");
        return builder;
    }
}
