using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Usrv.Route;

/// <summary>
/// The writers of streamed replies (DESIGN, Replies): a JSON array written as its items come, and server-sent events
/// through <see cref="SseFormatter"/>. Chosen at bind time for a handler returning <c>IAsyncEnumerable&lt;T&gt;</c> or
/// <c>IAsyncEnumerable&lt;SseItem&lt;T&gt;&gt;</c> (<see cref="HandlerInvoker"/>); nothing here looks at types per request
/// beyond the JSON settings' cached type info.
/// </summary>
internal static class StreamedBodies
{
    /// <summary>The content type of server-sent events (WHATWG HTML, "Server-sent events"; always UTF-8).</summary>
    public const string EventStreamContentType = "text/event-stream";

    // Written bytes are flushed whenever the next item is not ready at once, and at least this often.
    private const int FlushBytes = 16 * 1024;

    /// <summary>The response of a streamed <paramref name="reply"/>, its writer given the router's JSON settings.</summary>
    public static UsrvResponse Response(
        Reply reply, Func<JsonSerializerOptions, Stream, CancellationToken, ValueTask> writer, JsonSerializerOptions json) =>
        new(reply.Status, reply.ContentType, default)
        {
            BodyWriter = (stream, token) => writer(json, stream, token),
            Headers = reply.Headers,
        };

    /// <summary>A handler's <c>IAsyncEnumerable&lt;T&gt;</c> result: a streamed JSON array, 200.</summary>
    public static Reply JsonArrayOf<T>(IAsyncEnumerable<T>? items) =>
        items is null ? Reply.Json<object?>(200, null) : Reply.JsonArray(200, items);

    /// <summary>A handler's <c>IAsyncEnumerable&lt;SseItem&lt;T&gt;&gt;</c> result: server-sent events, 200.</summary>
    public static Reply EventsOf<T>(IAsyncEnumerable<SseItem<T>>? events) =>
        Reply.Events(200, events ?? AsyncEnumerable.Empty<SseItem<T>>());

    /// <summary>Writes <c>[</c>, the items separated by <c>,</c>, and <c>]</c>, flushing as items come.</summary>
    public static async ValueTask WriteJsonArrayAsync<T>(
        IAsyncEnumerable<T> items, JsonSerializerOptions json, Stream stream, CancellationToken cancellationToken)
    {
        var info = (JsonTypeInfo<T>)json.GetTypeInfo(typeof(T));
        // Its own source, so that a failed write also stops an iterator that reads its [EnumeratorCancellation] token.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The JSON goes to memory (JsonSerializer flushes its writer synchronously) and out with asynchronous writes.
        var buffer = new ArrayBufferWriter<byte>(FlushBytes);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = json.Encoder, Indented = false });
        writer.WriteStartArray();
        var each = items.GetAsyncEnumerator(stop.Token);
        await using (each.ConfigureAwait(false))
        {
            while (true)
            {
                var next = each.MoveNextAsync();
                Exception? failed = null;
                if (!next.IsCompleted)
                {
                    try
                    {
                        await SendAsync(writer, buffer, stream, stop.Token, pausing: true).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        failed = e;
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                }
                // The pending item is awaited before the enumerator may be disposed, even when the write failed.
                bool more = await next.ConfigureAwait(false);
                if (failed is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
                if (!more) break;
                cancellationToken.ThrowIfCancellationRequested();
                JsonSerializer.Serialize(writer, each.Current, info);
                if (buffer.WrittenCount >= FlushBytes) await SendAsync(writer, buffer, stream, stop.Token).ConfigureAwait(false);
            }
        }
        writer.WriteEndArray();
        await SendAsync(writer, buffer, stream, cancellationToken).ConfigureAwait(false);
    }

    // Writes what the JSON writer holds to the transport and flushes it. Before a pause, a number sent last gets a line end
    // (whitespace, still JSON): a reader cannot know "12" is whole until the next byte, which may be long in coming.
    private static async ValueTask SendAsync(
        Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Stream stream, CancellationToken token, bool pausing = false)
    {
        writer.Flush();
        if (buffer.WrittenCount == 0) return;
        if (pausing && buffer.WrittenSpan[^1] is >= (byte)'0' and <= (byte)'9') buffer.Write("\n"u8);
        await stream.WriteAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
        buffer.ResetWrittenCount();
        await stream.FlushAsync(token).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="events"/> with <see cref="SseFormatter"/>, flushing after each write.</summary>
    public static async ValueTask WriteEventsAsync<T>(
        IAsyncEnumerable<SseItem<T>> events, JsonSerializerOptions json, Stream stream, CancellationToken cancellationToken)
    {
        var flushing = new FlushingStream(stream);
        if (events is IAsyncEnumerable<SseItem<string>> texts)
        {
            await SseFormatter.WriteAsync(texts, flushing, cancellationToken).ConfigureAwait(false);
            return;
        }
        var info = (JsonTypeInfo<T>)json.GetTypeInfo(typeof(T));
        var writerOptions = new JsonWriterOptions { Encoder = json.Encoder, Indented = false };
        await SseFormatter
            .WriteAsync(events, flushing, (item, buffer) => WriteJson(item.Data, info, writerOptions, buffer), cancellationToken)
            .ConfigureAwait(false);
    }

    private static void WriteJson<T>(T data, JsonTypeInfo<T> info, JsonWriterOptions options, IBufferWriter<byte> buffer)
    {
        using var writer = new Utf8JsonWriter(buffer, options);
        JsonSerializer.Serialize(writer, data, info);
    }

    /// <summary>A write-only view of a transport's stream that flushes after every write: each event goes out at once.</summary>
    private sealed class FlushingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            inner.Flush();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
