using System.CommandLine;
using Usrv.Host;

var parse = UsrvCommand.Create().Parse(args);
// Signals are handled by UsrvCommand itself so that requests in flight can finish (no forced 2 s termination).
return await UsrvCommand.InvokeAsync(parse, new InvocationConfiguration { ProcessTerminationTimeout = null });
