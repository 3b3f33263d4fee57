namespace Usrv.Route;

/// <summary>
/// The client left before its request was answered: its connection was reset while the request (mostly its body) was
/// read, or <see cref="UsrvRequest.Aborted"/> was cancelled (the host saw the connection go; on the built-in host, also
/// the hard stop). Nothing is answered: the router writes one Debug line without the exception (category
/// <c>Usrv.Route</c>), the access line shows <c>- (client left)</c>, and the exception goes on to the host, which drops
/// the connection. It is an <see cref="OperationCanceledException"/>, as <see cref="Router.HandleAsync"/> throws when
/// nobody is left to answer.
/// </summary>
/// <remarks>
/// A host throws it from a body stream when its transport says the peer reset the connection, even with
/// <see cref="UsrvRequest.Aborted"/> not cancelled (the built-in host's token is its stop). A client that closes its
/// sending side mid-body may still read the answer: that is a body shorter than its <c>Content-Length</c> (400). A host's
/// own body read timeout is not a client that left either: such a failure is an <see cref="IOException"/> whose inner
/// exception is a <see cref="TimeoutException"/> (answered 400).
/// </remarks>
/// <param name="message">What happened, e.g. <c>the connection was reset while the body was read</c>.</param>
/// <param name="inner">The transport's failure, if any.</param>
public sealed class ClientLeftException(string message, Exception? inner = null) : OperationCanceledException(message, inner)
{
    /// <summary>True once the router wrote its Debug line for this exception (it passes several stages on its way out).</summary>
    internal bool Logged { get; set; }

    /// <summary>
    /// True when <paramref name="failure"/> means that the client of <paramref name="request"/> left: a
    /// <see cref="ClientLeftException"/>, or an <see cref="IOException"/> or <see cref="OperationCanceledException"/> while
    /// <see cref="UsrvRequest.Aborted"/> is cancelled (but not a host's body read timeout, see the remarks).
    /// </summary>
    public static bool Is(Exception failure, UsrvRequest request)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(request);
        return failure is ClientLeftException
            || (failure is IOException or OperationCanceledException
                && request.Aborted.IsCancellationRequested
                && failure.InnerException is not TimeoutException);
    }
}
