namespace Usrv.Host;

/// <summary>The part of a transport's response (HttpListener's, ASP.NET Core's) that <see cref="ResponseMapping"/> writes to.</summary>
internal interface ITransportResponse
{
    /// <summary>Sets the status line and headers; <paramref name="contentLength"/> <c>null</c> for a streamed (chunked) body.</summary>
    void Start(int status, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, long? contentLength);

    /// <summary>The body stream, written after <see cref="Start"/>.</summary>
    Stream Body { get; }

    /// <summary>Writes a whole in-memory body after <see cref="Start"/>: the transport may keep it until the request ends,
    /// to send the headers, the body and its end in one write.</summary>
    ValueTask WriteBodyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
