using System.Diagnostics.Tracing;

namespace Usrv.Host.Bench;

/// <summary>
/// Which types a benchmark allocates, sampled by the runtime's GC allocation ticks (one event per ~100 KB allocated, with
/// the type that crossed the mark): run a benchmark method many times and count the sampled type names. Used to find
/// what to remove; the figures to report are BenchmarkDotNet's.
///   dotnet run -c Release --project bench/Usrv.Host.Bench -- profile Adapter_plain_get [requests]
/// </summary>
internal sealed class AllocationProfile : EventListener
{
    private readonly Dictionary<string, long> _types = [];
    private volatile bool _on;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.Payload is null) return;
        var name = e.PayloadNames!.IndexOf("TypeName") is >= 0 and var i ? e.Payload[i] as string ?? "?" : "?";
        lock (_types) _types[name] = _types.GetValueOrDefault(name) + 1;
    }

    public static async Task RunAsync(string method, int requests)
    {
        var bench = new ChainBenchmarks();
        bench.Setup();
        var call = typeof(ChainBenchmarks).GetMethod(method) ?? throw new ArgumentException($"no benchmark {method}");
        bool isSealed = method.Contains("sealed", StringComparison.Ordinal);
        using var profile = new AllocationProfile();
        long bytes = 0;
        for (int i = 0; i < requests + 2_000; i++)
        {
            // Sealed requests are sealed in batches (outside the count), each used once.
            if (isSealed && i % 2_000 == 0) bench.SealBatch();
            bool measured = i >= 2_000; // the first 2,000 warm up (tiered JIT)
            profile._on = measured;
            long before = GC.GetAllocatedBytesForCurrentThread();
            await (ValueTask<int>)call.Invoke(bench, null)!;
            if (measured) bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            profile._on = false;
        }
        Console.WriteLine($"{method}: {bytes / (double)requests:F0} B per request on this thread over {requests} requests");
        lock (profile._types)
        {
            long total = profile._types.Values.Sum();
            foreach (var (type, count) in profile._types.OrderByDescending(p => p.Value).Take(25))
                Console.WriteLine($"  {count * 100.0 / total,5:F1}%  {type}");
        }
    }
}
