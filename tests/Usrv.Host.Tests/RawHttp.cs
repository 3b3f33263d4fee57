using System.Net.Sockets;
using System.Text;

namespace Usrv.Host.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not send: malformed targets, lying Content-Length,
/// half a body, a client that hangs up. Every read is bounded by a timeout.
/// </summary>
public sealed class RawHttp : IAsyncDisposable
{
    /// <summary>Longest wait for the server, by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttp(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Opens a connection to the server at <paramref name="baseAddress"/>.</summary>
    public static async Task<RawHttp> ConnectAsync(Uri baseAddress)
    {
        var tcp = new TcpClient(baseAddress.HostNameType == UriHostNameType.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)
        {
            NoDelay = true,
        };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await tcp.ConnectAsync(baseAddress.IdnHost, baseAddress.Port, timeout.Token);
        return new RawHttp(tcp);
    }

    /// <summary>Sends one request with <c>Connection: close</c> and reads the whole answer.</summary>
    /// <param name="baseAddress">The server.</param>
    /// <param name="requestLineAndHeaders">E.g. <c>GET /test HTTP/1.1</c>, optionally followed by header lines; <c>Host</c> and <c>Connection: close</c> are added.</param>
    /// <param name="body">Bytes sent after the headers (not counted anywhere: add your own Content-Length).</param>
    public static async Task<RawResponse> ExchangeAsync(Uri baseAddress, string requestLineAndHeaders, byte[]? body = null)
    {
        await using var connection = await ConnectAsync(baseAddress);
        // One write, so that a server that answers before reading the body finds it already received.
        await connection.SendAsync([.. Head(baseAddress, requestLineAndHeaders + "\r\nConnection: close"), .. body ?? []]);
        return await connection.ReadUntilClosedAsync(DefaultTimeout);
    }

    /// <summary>The bytes of a request head: the lines given, a <c>Host</c> header, and the blank line.</summary>
    public static byte[] Head(Uri baseAddress, string requestLineAndHeaders) =>
        Encoding.Latin1.GetBytes($"{requestLineAndHeaders}\r\nHost: {baseAddress.Authority}\r\n\r\n");

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _stream.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    /// <summary>
    /// Reads until the server closes the connection or <paramref name="timeout"/> passes, whichever is first.
    /// A reset counts as closed.
    /// </summary>
    public async Task<RawResponse> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var deadline = new CancellationTokenSource(timeout);
        bool closed = false;
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, deadline.Token)) > 0) received.Write(buffer, 0, read);
            closed = true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // timed out with the connection still open
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            closed = true; // reset by the server
        }
        return new RawResponse(received.ToArray(), closed);
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>What a server sent on a raw connection, and whether it closed the connection.</summary>
/// <param name="Bytes">Every byte received.</param>
/// <param name="Closed">True when the server closed (or reset) the connection; false when the read timed out.</param>
public sealed record RawResponse(byte[] Bytes, bool Closed)
{
    private int HeadEnd => Text.IndexOf("\r\n\r\n", StringComparison.Ordinal);

    /// <summary>The bytes as Latin-1 text.</summary>
    public string Text => Encoding.Latin1.GetString(Bytes);

    /// <summary>The status of the first response, or <c>null</c> when nothing (or no status line) was received.</summary>
    public int? Status =>
        Text.StartsWith("HTTP/1.", StringComparison.Ordinal) && Text.Length >= 12 && int.TryParse(Text.AsSpan(9, 3), out var status) ? status : null;

    /// <summary>The status line and headers, without the blank line.</summary>
    public string Head => HeadEnd < 0 ? Text : Text[..HeadEnd];

    /// <summary>Everything after the first blank line.</summary>
    public string Body => HeadEnd < 0 ? "" : Text[(HeadEnd + 4)..];

    /// <summary>The value of a response header of the first response, or <c>null</c>.</summary>
    public string? Header(string name) =>
        Head.Split("\r\n").Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();

    /// <inheritdoc/>
    public override string ToString() => $"{(Closed ? "closed" : "open")}: {(Text.Length > 400 ? Text[..400] + "..." : Text)}";
}
