using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Usrv.Host.AspNetCore;

/// <summary>
/// The standalone <see cref="KestrelHost"/>'s application (issue 16): Kestrel calls the usrv chain itself, with no
/// middleware pipeline, endpoint routing or hosting diagnostics (ASP.NET Core's <c>HostingApplication</c>: activities,
/// request logging scopes, metrics) in between, since usrv routes and logs on its own. It keeps what
/// <c>HostingApplication</c> does for speed: one <see cref="DefaultHttpContext"/> per connection, re-initialised for each
/// request (<see cref="IHostContextContainer{TContext}"/>). It also counts the requests in flight, for the stop's log line.
/// </summary>
internal sealed class UsrvHttpApplication(RequestDelegate chain) : IHttpApplication<DefaultHttpContext>
{
    private int _inFlight;

    /// <summary>Requests started and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public DefaultHttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is not IHostContextContainer<DefaultHttpContext> container) return new DefaultHttpContext(contextFeatures);
        if (container.HostContext is { } reused)
        {
            reused.Initialize(contextFeatures);
            return reused;
        }
        return container.HostContext = new DefaultHttpContext(contextFeatures);
    }

    public Task ProcessRequestAsync(DefaultHttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        Task pending;
        try
        {
            pending = chain(context);
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            throw;
        }
        if (!pending.IsCompleted) return AwaitAsync(pending);
        Interlocked.Decrement(ref _inFlight);
        return pending;
    }

    // Most answers complete synchronously (Kestrel buffers the write): only the others pay for a state machine.
    private async Task AwaitAsync(Task pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void DisposeContext(DefaultHttpContext context, Exception? exception) => context.Uninitialize();
}
