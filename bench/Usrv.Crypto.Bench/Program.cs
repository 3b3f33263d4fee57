using BenchmarkDotNet.Running;
using Usrv.Crypto.Bench;

// Full run:  dotnet run -c Release --project bench/Usrv.Crypto.Bench -- --filter '*' --job short
// Quick look (Stopwatch, best of several batches; for profiling on a busy machine):  ... -- --quick
if (args is ["--quick", ..])
{
    QuickTimer.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CryptoBenchmarks).Assembly).Run(args);
