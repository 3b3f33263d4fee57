using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Usrv.Route.Tests;

/// <summary>
/// Reading a body (<see cref="RequestBody.ReadAsync"/>): buffers that grow with the bytes that arrive, never sized from the
/// declared <c>Content-Length</c>; the result is an array of the exact length; the limit counts the bytes read.
/// </summary>
public sealed class RequestBodyTests
{
    public static class Api
    {
        [Bind("/bytes", "POST")]
        public static (int, int) Bytes(byte[] data) => (200, data.Length);
    }

    /// <summary>Hands out at most <paramref name="piece"/> bytes per read, synchronously, then the end.</summary>
    private sealed class PiecewiseStream(byte[] bytes, int piece) : Stream
    {
        private int _at;

        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            int n = Math.Min(Math.Min(piece, buffer.Length), bytes.Length - _at);
            bytes.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// A client that declared a large body and sends a few bytes, then nothing: the first read returns them at once, every
    /// later read waits until <see cref="End"/> (which then fails it, as a connection that breaks).
    /// </summary>
    private sealed class StallingStream(byte[] first) : Stream
    {
        private readonly TaskCompletionSource<int> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _sent;

        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void End() => _never.TrySetException(new IOException("the connection broke"));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                first.CopyTo(buffer);
                return new(first.Length);
            }
            Waiting.TrySetResult();
            return new(_never.Task);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static UsrvRequest Post(Stream body, long? contentLength, CancellationToken aborted = default) =>
        new("POST", "/bytes?key=secret", RequestHeaders.From([new("Content-Type", "application/octet-stream")]), body)
        {
            ContentLength = contentLength,
            Aborted = aborted,
            RemoteAddress = "127.0.0.1:4321",
        };

    [Fact]
    public async Task A_body_that_declares_100_MiB_and_sends_a_few_bytes_does_not_allocate_the_declared_size()
    {
        const long declared = 100L * 1024 * 1024;
        var router = new Router(new RouterOptions { MaxRequestBodyBytes = 200L * 1024 * 1024 }).BindType(typeof(Api));
        await router.HandleAsync(Post(new MemoryStream([1, 2, 3]), 3)); // warm up: the binding's first call, the pool
        var body = new StallingStream([1, 2, 3, 4, 5]);

        // Everything up to the read that waits runs on this thread: its allocations are the request's, to the byte.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var pending = router.HandleAsync(Post(body, declared));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(pending.IsCompleted);
        Assert.True(body.Waiting.Task.IsCompleted, "the router should be waiting for more of the body");
        Assert.True(allocated < 1024 * 1024, $"{allocated} bytes allocated for 5 bytes received of {declared} declared");
        body.End();
        var response = await pending;
        Assert.Equal(400, response.Status);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 7)]
    [InlineData(16 * 1024 - 1, 4096)]
    [InlineData(16 * 1024, 16 * 1024)]
    [InlineData(16 * 1024 + 1, 1000)]
    [InlineData(1024 * 1024, 65536)]
    [InlineData(3 * 1024 * 1024 + 7, 100_000)]
    public async Task Bodies_of_any_size_in_pieces_of_any_size_are_read_whole_into_an_array_of_their_length(int size, int piece)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        foreach (long? declared in new long?[] { size, null })
        {
            var read = await RequestBody.ReadAsync(Post(new PiecewiseStream(bytes, piece), declared), limit: 10 * 1024 * 1024);

            Assert.Equal(size, read.Length);
            Assert.True(bytes.AsSpan().SequenceEqual(read), $"the bytes differ (declared {declared?.ToString() ?? "none"})");
        }
    }

    [Fact]
    public async Task The_buffers_grow_with_the_bytes_that_arrive_and_the_body_is_copied_once()
    {
        var bytes = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        await RequestBody.ReadAsync(Post(new PiecewiseStream(bytes, 65536), bytes.Length), limit: bytes.Length); // warm the pool

        long before = GC.GetAllocatedBytesForCurrentThread();
        var read = await RequestBody.ReadAsync(Post(new PiecewiseStream(bytes, 65536), bytes.Length), limit: bytes.Length);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(bytes.Length, read.Length);
        // The result, and little else: no doubling copies, no buffer of the declared size besides the result.
        Assert.True(allocated < bytes.Length + 64 * 1024, $"{allocated} bytes allocated to read a body of {bytes.Length}");
    }

    [Fact]
    public async Task A_small_declared_body_is_read_with_one_read_more_than_its_bytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var stream = new PiecewiseStream(bytes, int.MaxValue);

        var read = await RequestBody.ReadAsync(Post(stream, bytes.Length), limit: 1 << 20);

        Assert.Equal(1000, read.Length);
        Assert.Equal(2, stream.Reads); // the bytes, then the end: the first buffer had room for both
    }

    [Fact]
    public async Task A_body_without_a_length_is_refused_one_byte_over_the_limit_and_taken_at_the_limit()
    {
        var at = await RequestBody.ReadAsync(Post(new PiecewiseStream(new byte[40_000], 3000), null), limit: 40_000);
        Assert.Equal(40_000, at.Length);

        var over = await Assert.ThrowsAsync<ProblemException>(async () =>
            await RequestBody.ReadAsync(Post(new PiecewiseStream(new byte[40_001], 3000), null), limit: 40_000));
        Assert.Equal(413, over.Status);
    }

    [Fact]
    public async Task A_body_longer_than_its_Content_Length_is_a_400_that_counts_what_was_sent()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(async () =>
            await RequestBody.ReadAsync(Post(new PiecewiseStream(new byte[20_000], 5000), 16_384), limit: 1 << 20));

        Assert.Equal(400, problem.Status);
        Assert.Contains("has 20000 bytes but Content-Length says 16384", problem.Detail);
    }

    [Fact]
    public async Task A_client_that_leaves_mid_body_is_no_answer_and_one_debug_line_without_the_exception()
    {
        var lines = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(lines).SetMinimumLevel(LogLevel.Debug));
        var router = new Router(new RouterOptions(), loggers).BindType(typeof(Api));
        using var aborted = new CancellationTokenSource();
        var body = new StallingStream([1, 2, 3]);

        var pending = router.HandleAsync(Post(body, 1000, aborted.Token));
        await body.Waiting.Task;
        aborted.Cancel(); // the host saw the connection go
        body.End();      // and the read fails with an IOException

        var left = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        Assert.IsType<ClientLeftException>(left);
        Assert.DoesNotContain(lines.Lines, line => line.Level >= LogLevel.Warning);
        var debug = Assert.Single(lines.Lines, line => line.Category == "Usrv.Route");
        Assert.Equal(LogLevel.Debug, debug.Level);
        Assert.Null(debug.Exception);
        Assert.Equal("client 127.0.0.1:4321 left during POST /bytes", debug.Message);
        var access = Assert.Single(lines.Lines, line => line.Category == AccessLog.Category);
        Assert.EndsWith("\" - (client left)", access.Message);
    }
}
