namespace Usrv.Plugins.Tests;

/// <summary>A message handler that counts the requests it is given before passing them on.</summary>
public sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _count;

    /// <summary>Requests sent through this handler.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
