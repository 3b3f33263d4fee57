using BenchmarkDotNet.Running;
using Usrv.Client.Bench;

// Client overhead:  dotnet run -c Release --project bench/Usrv.Client.Bench -- --filter '*' --job short
// Same, A/B on a busy machine, plus the client's own cost without a socket:  ... -- quick
// Upload memory:    dotnet run -c Release --project bench/Usrv.Client.Bench -- memory [MiB]
if (args is ["memory", ..])
{
    int mebibytes = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
    await UploadMemory.RunAsync(mebibytes);
    return;
}

if (args is ["quick", ..])
{
    await QuickTimer.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ClientCallBenchmarks).Assembly).Run(args);
