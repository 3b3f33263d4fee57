using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Host.Tests;

/// <summary>
/// Streamed replies over real sockets, the same on every host kind (DESIGN, Replies): a JSON array and server-sent events
/// written as items come (chunked, no Content-Length), a client that leaves stopping the handler, sealed calls buffered.
/// One derived class per host (<see cref="ListenerHostStreamingTests"/>, <see cref="KestrelHostStreamingTests"/>).
/// </summary>
public abstract class StreamingTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    where TFixture : RouterHostFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public record Tick(int N);

    private static async IAsyncEnumerable<int> Count(int count, [EnumeratorCancellation] CancellationToken aborted = default)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    // Yields 0, then waits for the gate before it makes the rest; 'last' is set when the last item is made.
    private static async IAsyncEnumerable<T> Gated<T>(
        Func<int, T> item, Task gate, TaskCompletionSource last, [EnumeratorCancellation] CancellationToken aborted = default)
    {
        yield return item(0);
        await gate.WaitAsync(aborted);
        yield return item(1);
        last.TrySetResult();
        yield return item(2);
    }

    // Yields forever, slowly, until its token stops it; 'disposed' is set when the enumerator is disposed.
    private static async IAsyncEnumerable<int> Endless(TaskCompletionSource disposed, [EnumeratorCancellation] CancellationToken aborted = default)
    {
        try
        {
            for (int i = 0; ; i++)
            {
                yield return i;
                await Task.Delay(20, aborted);
            }
        }
        finally
        {
            disposed.TrySetResult();
        }
    }

    private static string Url(TFixture server) => server.BaseAddress.ToString();

    /// <summary>README, "Streaming replies", as written there.</summary>
    public static class Feeds
    {
        [Bind("/numbers")]
        public static async IAsyncEnumerable<int> Numbers(int count, [EnumeratorCancellation] CancellationToken aborted = default)
        {
            for (int i = 0; i < count; i++)
            {
                await Task.Delay(10, aborted);
                yield return i;
            }
        }

        [Bind("/ticks")]
        public static async IAsyncEnumerable<SseItem<Tick>> Ticks([EnumeratorCancellation] CancellationToken aborted = default)
        {
            for (int n = 1; n <= 3; n++)
            {
                await Task.Delay(10, aborted);
                yield return new SseItem<Tick>(new Tick(n), "tick") { EventId = $"{n}" };
            }
        }
    }

    [Fact]
    public async Task A_streaming_call_answered_with_an_error_raises_UsrvCallException() =>
        await runAsync(null, async server =>
        {
            using var peer = new Peer(Url(server));
            var e = await Assert.ThrowsAsync<UsrvCallException>(async () => await peer.StreamAsync<int>("/nowhere").ToListAsync());
            Assert.Equal(404, e.Status);
            await Assert.ThrowsAsync<UsrvCallException>(async () => await peer.EventsAsync<string>("/nowhere").ToListAsync());
        });

    [Fact]
    public async Task The_readme_client_reads_numbers_and_ticks_as_they_come() =>
        await runAsync(s => s.Router.BindType(typeof(Feeds)), async server =>
        {
            using var peer = new Peer(Url(server));
            var numbers = new List<int>();
            await foreach (var n in peer.StreamAsync<int>("/numbers", new { count = 3 })) numbers.Add(n);
            Assert.Equal([0, 1, 2], numbers);
            var ticks = new List<string>();
            await foreach (var tick in peer.EventsAsync<Tick>("/ticks")) ticks.Add($"{tick.EventType} {tick.EventId} {tick.Data.N}");
            Assert.Equal(["tick 1 1", "tick 2 2", "tick 3 3"], ticks);
        });

    [Fact]
    public async Task A_streamed_array_is_chunked_without_Content_Length() =>
        await runAsync(s => s.Router.Bind("/numbers", (int count) => Count(count)), async server =>
        {
            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, "GET /numbers?count=3 HTTP/1.1");
            Assert.Equal(200, raw.Status);
            Assert.Equal("chunked", raw.Header("Transfer-Encoding"));
            Assert.Null(raw.Header("Content-Length"));
            Assert.Equal("application/json; charset=utf-8", raw.Header("Content-Type"));
            Assert.EndsWith("0\r\n\r\n", raw.Body);

            using var peer = new Peer(Url(server));
            Assert.Equal([0, 1, 2], await peer.StreamAsync<int>("/numbers", new { count = 3 }).ToListAsync());
        });

    [Fact]
    public async Task The_first_item_reaches_the_client_before_the_handler_makes_the_last()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await runAsync(s => s.Router.Bind("/gated", () => Gated(i => new Tick(i), gate.Task, last)), async server =>
        {
            using var peer = new Peer(Url(server));
            await using var items = peer.StreamAsync<Tick>("/gated").GetAsyncEnumerator();
            Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(Wait));
            Assert.Equal(new Tick(0), items.Current);
            Assert.False(last.Task.IsCompleted, "the server held the array back until its last item");
            gate.SetResult();
            Assert.True(await items.MoveNextAsync());
            Assert.True(await items.MoveNextAsync());
            Assert.Equal(new Tick(2), items.Current);
            Assert.False(await items.MoveNextAsync());
        });
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_fires_the_handler_token_and_disposes_the_enumerator()
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await runAsync(s => s.Router.Bind("/endless", (CancellationToken aborted) =>
        {
            aborted.Register(() => fired.TrySetResult()); // the handler's own token: UsrvRequest.Aborted
            return Endless(disposed, aborted);
        }), async server =>
        {
            using var peer = new Peer(Url(server));
            int read = 0;
            await foreach (var item in peer.StreamAsync<int>("/endless"))
            {
                if (++read == 3) break; // disposes the response: the connection closes mid-stream
            }
            await fired.Task.WaitAsync(Wait);
            await disposed.Task.WaitAsync(Wait);
        });
    }

    [Fact]
    public async Task Server_sent_events_have_their_content_type_and_framing_and_come_as_they_are_made()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await runAsync(s => s.Router
            .Bind("/ticks", () => Gated(i => new SseItem<Tick>(new Tick(i), "tick") { EventId = $"{i}" }, gate.Task, last))
            .Bind("/text", () => Reply.Events(200, new[] { new SseItem<string>("a\nb") }.ToAsyncEnumerable())), async server =>
        {
            using var peer = new Peer(Url(server));
            await using (var events = peer.EventsAsync<Tick>("/ticks").GetAsyncEnumerator())
            {
                Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Wait));
                Assert.Equal(("tick", "0", new Tick(0)), (events.Current.EventType, events.Current.EventId, events.Current.Data));
                Assert.False(last.Task.IsCompleted, "the server held the events back");
                gate.SetResult();
                Assert.True(await events.MoveNextAsync());
                Assert.True(await events.MoveNextAsync());
                Assert.Equal(new Tick(2), events.Current.Data);
                Assert.False(await events.MoveNextAsync());
            }

            var raw = await RawHttp.ExchangeAsync(server.BaseAddress, "GET /ticks HTTP/1.1");
            Assert.Equal("text/event-stream", raw.Header("Content-Type"));
            Assert.Equal("chunked", raw.Header("Transfer-Encoding"));
            Assert.Null(raw.Header("Content-Length"));
            Assert.Contains("event: tick\ndata: {\"n\":2}\nid: 2\n\n", Dechunk(raw.Body));
            Assert.Equal(["a\nb"], (await peer.EventsAsync<string>("/text").ToListAsync()).Select(e => e.Data));
        });
    }

    [Fact]
    public async Task A_sealed_call_to_a_streaming_endpoint_gets_the_whole_array_sealed() =>
        await runAsync(s => s.Router.Bind("/numbers", (int count) => Count(count)), async server =>
        {
            using var peer = new Peer(Url(server));
            var call = new PeerCall(HttpMethod.Get, "/numbers") { ServerKey = server.Router.PublicKey };
            call.Values.Add(new("count", 1000));
            var answer = await peer.SendAsync(call);
            Assert.Equal(200, answer.Status);
            Assert.Equal(server.Router.PublicKey, answer.SealedBy);
            Assert.Equal(Enumerable.Range(0, 1000), System.Text.Json.JsonSerializer.Deserialize<int[]>(answer.Body));

            using var sealedPeer = new Peer(Url(server), new PeerOptions { ServerKey = server.Router.PublicKey });
            Assert.Equal([0, 1, 2], await sealedPeer.StreamAsync<int>("/numbers", new { count = 3 }).ToListAsync());
        });

    [Fact]
    public async Task A_stream_reply_is_sent_as_it_is_read_not_buffered()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await runAsync(s => s.Router.Bind("/file", () => Reply.FromStream(200, new GatedStream(gate.Task), "text/plain")), async server =>
        {
            using var response = await server.Client.GetAsync("/file", HttpCompletionOption.ResponseHeadersRead);
            Assert.Null(response.Content.Headers.ContentLength);
            await using var body = await response.Content.ReadAsStreamAsync();
            var first = new byte[5];
            await body.ReadExactlyAsync(first).AsTask().WaitAsync(Wait);
            Assert.Equal("first", Encoding.ASCII.GetString(first));
            gate.SetResult();
            Assert.Equal("-rest", await new StreamReader(body).ReadToEndAsync());
        });
    }

    [Fact]
    public async Task The_access_line_is_written_when_the_headers_go_out_and_HEAD_gets_headers_only()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(lines));
        await runAsync(s =>
        {
            s.Loggers = loggers;
            s.Router.Bind("/gated", () => Gated(i => i, gate.Task, last));
        }, async server =>
        {
            using var peer = new Peer(Url(server));
            await using var items = peer.StreamAsync<int>("/gated").GetAsyncEnumerator();
            Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(Wait));
            var line = await lines.WaitForAsync(l => l.Category == AccessLog.Category && l.Message.Contains("GET /gated"), Wait);
            Assert.EndsWith("\" 200", line!.Message);
            gate.SetResult();
            while (await items.MoveNextAsync()) { }

            var head = await RawHttp.ExchangeAsync(server.BaseAddress, "HEAD /gated HTTP/1.1");
            Assert.Equal(200, head.Status);
            Assert.DoesNotContain("[", head.Body); // the handler's items are not sent (HttpListener adds its last chunk)
            Assert.Null(head.Header("Content-Length"));
        });
    }

    // The payload of a chunked body (RFC 9112 section 7.1): chunk sizes and line ends dropped.
    private static string Dechunk(string body)
    {
        var text = new StringBuilder();
        int at = 0;
        while (true)
        {
            int end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(body[at..end].Split(';')[0], 16);
            if (size == 0) return text.ToString();
            text.Append(body, end + 2, size);
            at = end + 2 + size + 2;
        }
    }

    /// <summary>Reads "first", then waits for the gate before "-rest".</summary>
    private sealed class GatedStream(Task gate) : Stream
    {
        private int _part;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().Result;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var part = _part++ switch { 0 => "first", 1 => "-rest", _ => "" };
            if (part == "-rest") await gate.WaitAsync(cancellationToken);
            Encoding.ASCII.GetBytes(part).CopyTo(buffer);
            return part.Length;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class ListenerHostStreamingTests() : StreamingTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

public sealed class KestrelHostStreamingTests() : StreamingTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);

/// <summary>
/// 100,000 items of about 100 bytes (10 MB of JSON) read through <see cref="Peer.StreamAsync{T}"/> on each host. Run alone
/// (no parallel tests allocating beside it), as the check is on the whole process: server and client share it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StreamingMemoryCollection
{
    public const string Name = "streamed replies, memory";
}

[Collection(StreamingMemoryCollection.Name)]
public sealed class StreamingMemoryTests
{
    public record Item(int Id, string Text);

    private const int Count = 100_000;

    private static async IAsyncEnumerable<Item> Many([EnumeratorCancellation] CancellationToken aborted = default)
    {
        var text = new string('x', 80); // {"id":12345,"text":"xx...x"} is about 100 bytes
        for (int i = 0; i < Count; i++)
        {
            if (i % 1000 == 0) await Task.Yield();
            yield return new Item(i, text);
        }
    }

    [Fact]
    public Task On_the_listener_host_memory_does_not_grow_with_the_count() =>
        ListenerHostFixture.RunAsync(s => s.Router.Bind("/many", () => Many()), ReadAllAsync);

    [Fact]
    public Task On_the_kestrel_host_memory_does_not_grow_with_the_count() =>
        KestrelHostFixture.RunAsync(s => s.Router.Bind("/many", () => Many()), ReadAllAsync);

    // GC.GetTotalMemory(true) after a full collection counts what is still reachable in this process, server and client
    // alike, so it is sampled every 20,000 items while the stream is read: a server that collected the array (10 MB of
    // JSON, more in a growing buffer) or a client that kept the items (100,000 objects and strings, over 20 MB) shows
    // there; streaming holds a few buffers of 16 KiB and one item. The bound (20 MB above the start) leaves room for the
    // runtime's own growth (JIT, pools) without letting a whole copy of the array through.
    private static async Task ReadAllAsync(RouterHostFixture server)
    {
        using var peer = new Peer(server.BaseAddress.ToString());
        long start = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        int read = 0;
        await foreach (var item in peer.StreamAsync<Item>("/many"))
        {
            Assert.Equal(read, item!.Id);
            if (++read % 20_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - start);
        }
        Assert.Equal(Count, read);
        Assert.True(peak < 20 * 1024 * 1024, $"memory grew by {peak / 1024 / 1024} MB while reading {Count} items");
    }
}
