using System.CommandLine;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// The command line <c>usrv [options] BINDINGS...</c>, with usrv's options (<c>-t/--threads</c>,
/// <c>-l/--log-level</c>, <c>-i/--ip</c>, <c>-p/--port</c>, <c>--version</c>, <c>-h</c>), parsed by System.CommandLine.
/// </summary>
/// <remarks>
/// Exit codes: 0 after a graceful stop (Ctrl+C, SIGTERM), 1 for usage errors, 2 when BINDINGS cannot be loaded
/// or bound, 3 when the address cannot be listened on.
/// </remarks>
public static class UsrvCommand
{
    /// <summary>Exit code: a BINDINGS assembly was not found or could not be bound.</summary>
    public const int BindingsError = 2;

    /// <summary>Exit code: the address and port cannot be listened on.</summary>
    public const int ListenError = 3;

    /// <summary>Builds the root command.</summary>
    public static RootCommand Create()
    {
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "number of concurrent request loops",
            DefaultValueFactory = _ => 8,
        };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--threads must be at least 1"); });

        var logLevel = new Option<string>("--log-level", "-l")
        {
            Description = "log level: a Python logging level (10 DEBUG, 20 INFO, 30 WARNING, 40 ERROR, 50 CRITICAL) or its name",
            DefaultValueFactory = _ => "20",
        };
        logLevel.Validators.Add(r =>
        {
            if (!PythonLogLevel.TryParse(r.GetValueOrDefault<string>() ?? "", out _))
                r.AddError($"--log-level: '{r.GetValueOrDefault<string>()}' is not a level (use 10, 20, 30, 40, 50 or debug, info, warning, error, critical)");
        });

        var ip = new Option<string>("--ip", "-i")
        {
            Description = "address to listen on (IPv4 or IPv6, e.g. 127.0.0.1, 0.0.0.0, ::1)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        ip.Validators.Add(r =>
        {
            if (!IPAddress.TryParse(r.GetValueOrDefault<string>(), out _)) r.AddError($"--ip: '{r.GetValueOrDefault<string>()}' is not an IP address");
        });

        var port = new Option<int>("--port", "-p")
        {
            Description = "TCP port to listen on",
            DefaultValueFactory = _ => 5000,
        };
        port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 65535) r.AddError("--port must be between 1 and 65535"); });

        var bindings = new Argument<string[]>("BINDINGS")
        {
            Description = "bindings assemblies, by name (looked up in the folders of usrv.path) or as paths to .dll files; none serves usrv's demo bindings",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var root = new RootCommand("usrv: serve static methods marked [Bind] as HTTP endpoints")
        {
            threads, logLevel, ip, port, bindings,
        };
        root.SetAction(async (parse, _) =>
        {
            PythonLogLevel.TryParse(parse.GetValue(logLevel)!, out var level);
            var options = new ListenerHostOptions
            {
                Address = IPAddress.Parse(parse.GetValue(ip)!),
                Port = parse.GetValue(port),
                Threads = parse.GetValue(threads),
            };
            return await RunAsync(options, level, parse.GetValue(bindings) ?? [], Console.Error).ConfigureAwait(false);
        });
        return root;
    }

    /// <summary>Runs the server until Ctrl+C or SIGTERM.</summary>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(ListenerHostOptions options, LogLevel level, IReadOnlyList<string> bindings, TextWriter error)
    {
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            }));
        var router = new Router(logger: loggers.CreateLogger("Usrv.Route"));
        try
        {
            if (bindings.Count == 0)
            {
                router.BindType(typeof(DemoBindings));
            }
            else
            {
                var loader = BindingsLoader.FromUsrvPath();
                foreach (var name in bindings) router.BindAssembly(loader.Load(name));
            }
        }
        catch (Exception e) when (e is FileNotFoundException or BadImageFormatException or FileLoadException or BindingException or ReflectionTypeLoadException)
        {
            await error.WriteLineAsync($"usrv: {e.Message}").ConfigureAwait(false);
            return BindingsError;
        }

        await using var host = new ListenerHost(router, options, loggers);
        try
        {
            host.Start();
        }
        catch (HostStartException e)
        {
            await error.WriteLineAsync($"usrv: {e.Message}").ConfigureAwait(false);
            return ListenError;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we stop ourselves, gracefully
            stop.TrySetResult();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await stop.Task.ConfigureAwait(false);
        await host.StopAsync().ConfigureAwait(false);
        return 0;
    }
}
