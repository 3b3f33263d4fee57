// Allocations and time per request through usrv's chain, in-process (no sockets), run by hand:
//   dotnet run -c Release --project bench/Usrv.Host.Bench -- --filter '*'
// (add --job short for a quicker, rougher run; the Allocated column does not depend on it).
// What a benchmark allocates, by type (sampled):  ... -- profile Adapter_plain_get [requests]
using BenchmarkDotNet.Running;

if (args is ["profile", var method, ..])
{
    await Usrv.Host.Bench.AllocationProfile.RunAsync(method, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Usrv.Host.Bench.ChainBenchmarks).Assembly).Run(args);
