using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Usrv.Route.Client;

/// <summary>The streaming calls of a peer: a streamed JSON array and server-sent events, read as they come.</summary>
public sealed partial class Peer
{
    /// <summary>
    /// GET <paramref name="path"/> with <paramref name="query"/> and reads the answer, a JSON array, item by item as it
    /// comes (<see cref="JsonSerializer.DeserializeAsyncEnumerable{TValue}(Stream, JsonSerializerOptions?, CancellationToken)"/>
    /// with <see cref="UsrvJson.Options"/>): memory does not grow with the number of items. A sealed call (a server key)
    /// is answered whole, sealed (the server collects the stream before sealing it), and read from memory.
    /// </summary>
    /// <param name="path">The endpoint, e.g. <c>/numbers</c>.</param>
    /// <param name="query">Query values: an anonymous object or a dictionary; none when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops reading and closes the connection (the server's handler sees its token fire).</param>
    /// <returns>The items; <see cref="PeerOptions.Timeout"/> bounds the wait for the headers only.</returns>
    /// <exception cref="UsrvCallException">The answer is not 2xx (thrown by the first <c>MoveNextAsync</c>).</exception>
    /// <exception cref="JsonException">The body is not a JSON array of <typeparamref name="T"/>.</exception>
    public async IAsyncEnumerable<T?> StreamAsync<T>(
        string path, object? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = new PeerCall(HttpMethod.Get, path);
        call.Values.AddRange(NamedValues.Of(query));
        if (_serverKey is not null)
        {
            var whole = CallErrors.EnsureSuccess(call, BaseAddress, await SendAsync(call, cancellationToken).ConfigureAwait(false));
            foreach (var item in JsonSerializer.Deserialize<T?[]>(whole.Body, UsrvJson.Options) ?? []) yield return item;
            yield break;
        }
        using var response = await OpenStreamAsync(call, "application/json", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var items = JsonSerializer.DeserializeAsyncEnumerable<T>(body, UsrvJson.Options, cancellationToken);
            await foreach (var item in items.ConfigureAwait(false)) yield return item;
        }
    }

    /// <summary>
    /// GET <paramref name="path"/> with <paramref name="query"/> and reads its server-sent events (WHATWG HTML,
    /// "Server-sent events") as they come, through <see cref="SseParser"/>: each event's data as UTF-8 text when
    /// <typeparamref name="T"/> is <see cref="string"/>, else as JSON (<see cref="UsrvJson.Options"/>). A sealed call
    /// (a server key) is answered whole, sealed, and parsed from memory. Reconnection (<c>Last-Event-ID</c>) is the caller's.
    /// </summary>
    /// <param name="path">The endpoint, e.g. <c>/ticks</c>.</param>
    /// <param name="query">Query values: an anonymous object or a dictionary; none when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops reading and closes the connection (the server's handler sees its token fire).</param>
    /// <returns>The events with their type, id and data; <see cref="PeerOptions.Timeout"/> bounds the wait for the headers only.</returns>
    /// <exception cref="UsrvCallException">The answer is not 2xx (thrown by the first <c>MoveNextAsync</c>).</exception>
    /// <exception cref="JsonException">An event's data is not JSON of <typeparamref name="T"/>.</exception>
    public async IAsyncEnumerable<SseItem<T>> EventsAsync<T>(
        string path, object? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = new PeerCall(HttpMethod.Get, path);
        call.Values.AddRange(NamedValues.Of(query));
        Stream body;
        HttpResponseMessage? response = null;
        if (_serverKey is not null)
        {
            var whole = CallErrors.EnsureSuccess(call, BaseAddress, await SendAsync(call, cancellationToken).ConfigureAwait(false));
            body = new MemoryStream(whole.Body, writable: false);
        }
        else
        {
            response = await OpenStreamAsync(call, "text/event-stream", cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        using (response)
        await using (body.ConfigureAwait(false))
        {
            var parser = SseParser.Create(body, static (_, data) => EventData<T>.Parse(data));
            await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false)) yield return item;
        }
    }

    // A plain GET whose answer is read as it comes: the headers within the call's timeout, the body as long as it lasts.
    private async Task<HttpResponseMessage> OpenStreamAsync(PeerCall call, string accept, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseAddress, call.Path.TrimStart('/') + PeerRequestEncoder.Query(call.Values));
        using var request = new HttpRequestMessage(call.Method, uri);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        foreach (var (name, value) in _options.Headers) request.Headers.TryAddWithoutValidation(name, value);
        foreach (var (name, value) in call.Headers) request.Headers.TryAddWithoutValidation(name, value);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = call.Timeout ?? _options.Timeout;
        timeout.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{call.Method} {uri} did not answer within {limit.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"cannot reach {BaseAddress}: {e.Message}", e, e.StatusCode);
        }
        try
        {
            SealedCall.EnsurePlain(call.Method, uri, response);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var value = await PeerResponseDecoder
                    .DecodeAsync(body, response.Content.Headers.ContentType, _options.Multipart, cancellationToken)
                    .ConfigureAwait(false);
                CallErrors.EnsureSuccess(call, BaseAddress, PeerResponse.From(response, body, value, null));
            }
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // How an event's data becomes a T, decided once per T: text as it is, anything else as JSON.
    private static class EventData<T>
    {
        private static readonly bool IsText = typeof(T) == typeof(string);

        public static T Parse(ReadOnlySpan<byte> data) =>
            IsText ? (T)(object)Encoding.UTF8.GetString(data) : JsonSerializer.Deserialize<T>(data, UsrvJson.Options)!;
    }
}
