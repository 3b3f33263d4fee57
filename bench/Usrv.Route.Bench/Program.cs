// In-process cost of the request pipeline (Router.HandleAsync), run by hand:
//   dotnet run -c Release --project bench/Usrv.Route.Bench
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Usrv.Route.Bench.PipelineBenchmarks).Assembly).Run(args);
