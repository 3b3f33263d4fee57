using Usrv.Route;

namespace PoolBindings;

/// <summary>What bench/http/pools.sh measures: /io's latency while /cpu/inline or /cpu/pooled calls keep the CPU busy.</summary>
public static class Api
{
    /// <summary>The I/O-bound endpoint whose p99 latency is measured: no work of its own.</summary>
    [Bind("/io")]
    public static (int, string) Io() => (200, "io");

    /// <summary>The CPU-bound handler on the host's threads (the thread pool, the built-in host's -t threads).</summary>
    [Bind("/cpu/inline")]
    public static (int, ulong) Inline(int n = 2_000_000) => (200, Spin(n));

    /// <summary>The same handler on the "cpu" pool (one dedicated thread per core).</summary>
    [Bind("/cpu/pooled", Pool = "cpu")]
    public static (int, ulong) Pooled(int n = 2_000_000) => (200, Spin(n));

    // xorshift64 rounds: pure CPU, no allocation, no I/O; about a few milliseconds for the default n.
    private static ulong Spin(int n)
    {
        ulong x = 88172645463325252UL;
        for (int i = 0; i < n; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        return x;
    }
}
