using System.Collections.Concurrent;

namespace Usrv.Route;

/// <summary>
/// A bounded pool of dedicated threads that runs the synchronous handlers bound to it (<see cref="BindAttribute.Pool"/>,
/// <see cref="BindOptions.Pool"/>; pixie_web's process pool, in .NET terms), so that CPU-bound endpoints never hold the
/// threads of I/O-bound ones: neither the .NET thread pool nor the built-in host's <c>-t</c> handler threads
/// (README, CPU-bound routes).
/// </summary>
/// <remarks>
/// <para>The pool has <see cref="Threads"/> threads of its own, not thread-pool threads: background threads named
/// <c>usrv NAME #1</c>, <c>usrv NAME #2</c>, ... (<c>usrv cpu #1</c>), started when the first endpoint is bound to the pool,
/// so that a pool nobody uses costs nothing. Calls wait in a queue of <see cref="QueueLength"/> (a bounded
/// <see cref="BlockingCollection{T}"/>); a call that finds it full is refused at once with a <see cref="ProblemException"/>
/// 503 and <c>Retry-After: </c><see cref="RetryAfterSeconds"/>, never queued without bound. A call whose request is aborted
/// (<see cref="UsrvRequest.Aborted"/>) while it waits is dropped without running.</para>
/// <para>The threads live until <see cref="Dispose"/>, or for the process: the router neither owns nor disposes a pool, so
/// one pool may serve several routers. <see cref="Cpu"/>, the pool every <see cref="RouterOptions.Pools"/> holds as
/// <c>"cpu"</c>, lives for the process.</para>
/// </remarks>
/// <example><code>
/// [Bind("/thumbnail", "POST", Pool = "cpu")]
/// public static (int, byte[]) Thumbnail(FormData form) => (200, Images.Shrink(form.Files[0].Content));
/// </code></example>
public sealed class HandlerPool : IDisposable
{
    private static readonly Lazy<HandlerPool> Shared = new(() => new HandlerPool(CpuName, null, shared: true));
    private readonly BlockingCollection<PoolWork> _queue;
    private readonly KeyValuePair<string, string>[] _retryAfter;
    private readonly bool _shared;
    private int _started;

    /// <summary>The name of the pool every router has unless told otherwise: <c>cpu</c>.</summary>
    public const string CpuName = "cpu";

    /// <summary>Creates a pool; its threads start when the first endpoint is bound to it.</summary>
    /// <param name="name">The pool's name, in its threads' names and its 503's detail, e.g. <c>cpu</c>.</param>
    /// <param name="options">Threads, queue length and <c>Retry-After</c>; <see cref="PoolOptions"/>' defaults when <c>null</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Threads, the queue length or <c>Retry-After</c> is below 1.</exception>
    public HandlerPool(string name, PoolOptions? options = null)
        : this(name, options, shared: false)
    {
    }

    private HandlerPool(string name, PoolOptions? options, bool shared)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new PoolOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options.Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueLength ?? 1, 1, nameof(options.QueueLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryAfterSeconds, 1, nameof(options.RetryAfterSeconds));
        Name = name;
        Threads = options.Threads;
        QueueLength = options.QueueLength ?? 4 * options.Threads;
        RetryAfterSeconds = options.RetryAfterSeconds;
        _retryAfter = [new("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        _queue = new BlockingCollection<PoolWork>(new ConcurrentQueue<PoolWork>(), QueueLength);
        _shared = shared;
    }

    /// <summary>
    /// The shared <c>cpu</c> pool: one thread per core (<see cref="Environment.ProcessorCount"/>), a queue of 4 per thread,
    /// <c>Retry-After: 1</c>. It lives for the process; <see cref="Dispose"/> refuses it.
    /// </summary>
    public static HandlerPool Cpu => Shared.Value;

    /// <summary>The pool's name.</summary>
    public string Name { get; }

    /// <summary>The number of dedicated threads that run handlers.</summary>
    public int Threads { get; }

    /// <summary>The most calls that wait for a thread; one more is answered 503.</summary>
    public int QueueLength { get; }

    /// <summary>The <c>Retry-After</c> of a refused call, in seconds.</summary>
    public int RetryAfterSeconds { get; }

    /// <summary>The calls waiting for a thread now (0 to <see cref="QueueLength"/>), not counting those running.</summary>
    public int Waiting => _queue.Count;

    /// <summary>
    /// Stops taking calls (new ones are answered 503); the calls already queued still run, then the threads end.
    /// Does not wait for them.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is <see cref="Cpu"/>, which lives for the process.</exception>
    public void Dispose()
    {
        if (_shared) throw new InvalidOperationException("the shared cpu pool (HandlerPool.Cpu) lives for the process");
        _queue.CompleteAdding();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Threads} threads, queue {QueueLength})";

    /// <summary>Starts the threads, once (at bind time, by the first endpoint bound to the pool).</summary>
    internal void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        for (int i = 1; i <= Threads; i++)
        {
            new Thread(Work) { Name = $"usrv {Name} #{i}", IsBackground = true }.Start();
        }
    }

    /// <summary>
    /// Queues a call of a synchronous handler's <paramref name="invoker"/> and yields its result when a pool thread has run it.
    /// </summary>
    /// <exception cref="ProblemException">503 with <c>Retry-After</c>: the queue is full; 503 without: the pool is disposed.</exception>
    internal ValueTask<object?> InvokeAsync(Func<object?[], ValueTask<object?>> invoker, object?[] arguments, CancellationToken aborted)
    {
        var work = new PoolWork(invoker, arguments, aborted);
        bool queued;
        try
        {
            queued = _queue.TryAdd(work);
        }
        catch (InvalidOperationException)
        {
            throw new ProblemException(503, $"The '{Name}' pool is stopped.");
        }
        if (!queued)
        {
            throw new ProblemException(503,
                $"The '{Name}' pool is busy: {Threads} calls running and {QueueLength} waiting; retry after {RetryAfterSeconds} s.",
                headers: _retryAfter);
        }
        return new ValueTask<object?>(work.Result.Task);
    }

    private void Work()
    {
        foreach (var work in _queue.GetConsumingEnumerable()) work.Run();
    }

    /// <summary>One queued call; its result is completed on the thread pool, never on the pool's own thread.</summary>
    private sealed class PoolWork(Func<object?[], ValueTask<object?>> invoker, object?[] arguments, CancellationToken aborted)
    {
        public TaskCompletionSource<object?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            if (aborted.IsCancellationRequested)
            {
                Result.TrySetCanceled(aborted);
                return;
            }
            try
            {
                // Handlers bound to a pool are synchronous (refused at bind time otherwise): the ValueTask is complete.
                Result.TrySetResult(invoker(arguments).GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                Result.TrySetException(e);
            }
        }
    }
}
