namespace Usrv.Route;

/// <summary>
/// The size of a <see cref="HandlerPool"/>: how many dedicated threads run its handlers, how many calls may wait for one,
/// and what a refused call is told (README, CPU-bound routes).
/// </summary>
/// <example><code>
/// options.Pools["reports"] = new HandlerPool("reports", new PoolOptions { Threads = 2, QueueLength = 16 });
/// </code></example>
public sealed class PoolOptions
{
    /// <summary>Threads of the pool, at least 1: <see cref="Environment.ProcessorCount"/> (one per core) by default.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Calls that may wait for a thread, beyond the <see cref="Threads"/> running, at least 1; <c>null</c> (the default) for 4
    /// per thread. A call that finds the queue full is answered 503 with <c>Retry-After</c> at once, without waiting.
    /// </summary>
    public int? QueueLength { get; init; }

    /// <summary>
    /// The <c>Retry-After</c> of a refused call, in whole seconds (RFC 9110 section 10.2.3, <c>delay-seconds</c>), at least 1:
    /// 1 by default, the shortest HTTP can say, since a queue of a few CPU-bound calls per thread drains in well under a second.
    /// </summary>
    public int RetryAfterSeconds { get; init; } = 1;
}
