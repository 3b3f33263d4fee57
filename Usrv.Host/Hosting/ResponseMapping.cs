using System.Net;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// What both hosts do alike when they translate between their transport and the router (DESIGN, Hosts): write a
/// <see cref="UsrvResponse"/> (in-memory or streamed body, headers only for <c>HEAD</c>), and name the client's address.
/// </summary>
internal static class ResponseMapping
{
    /// <summary>Writes <paramref name="answer"/> to <paramref name="target"/>; a streamed body is copied, then disposed.</summary>
    public static async Task WriteAsync<T>(T target, UsrvResponse answer, bool isHead, CancellationToken cancellationToken)
        where T : ITransportResponse
    {
        if (answer.BodyStream is { } stream)
        {
            await using (stream.ConfigureAwait(false))
            {
                // A seekable stream (a file) knows its length: sent as Content-Length, else chunked.
                target.Start(answer.Status, answer.ContentType, answer.Headers, stream.CanSeek ? stream.Length - stream.Position : null);
                if (!isHead) await stream.CopyToAsync(target.Body, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        // A 304 sends no Content-Length: it would have to be the 200's (RFC 9110 section 8.6), and 0 is not.
        target.Start(answer.Status, answer.ContentType, answer.Headers, answer.Status == 304 ? null : answer.Body.Length);
        if (!isHead && answer.Body.Length > 0) await target.Body.WriteAsync(answer.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The client's address as <c>ip:port</c>, IPv6 in brackets (<c>[::1]:5000</c>); <c>""</c> when unknown.</summary>
    public static string RemoteAddress(IPAddress? address, int port) =>
        address is null ? ""
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}"
        : $"{address}:{port}";
}
