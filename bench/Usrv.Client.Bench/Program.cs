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

// Sealed vs plain requests per second against a running usrv:  ... -- sealed-load http://127.0.0.1:5000 [seconds] [connections] [rounds]
if (args is ["sealed-load", var url, ..])
{
    static int Arg(string[] a, int i, int fallback) => a.Length > i ? int.Parse(a[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await SealedLoad.RunAsync(url, TimeSpan.FromSeconds(Arg(args, 2, 3)), Arg(args, 3, 16), Arg(args, 4, 3));
    return;
}

// Pre-sealed usrv/2 requests for a load generator to replay (bench/http/matrix.sh):
//   ... -- preseal URL METHOD TARGET [BODYFILE] COUNT OUTFILE [--round SECONDS] [--content-type TYPE]
if (args is ["preseal", ..])
{
    Environment.ExitCode = await Preseal.RunAsync(args[1..]);
    return;
}

if (args is ["quick", ..])
{
    await QuickTimer.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ClientCallBenchmarks).Assembly).Run(args);
