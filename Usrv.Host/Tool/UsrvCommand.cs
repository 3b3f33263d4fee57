using System.CommandLine;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// The command line <c>usrv [options] BINDINGS...</c>, with usrv's options (<c>-t/--threads</c>,
/// <c>-l/--log-level</c>, <c>--log-format</c>, <c>-i/--ip</c>, <c>-p/--port</c>, <c>--version</c>, <c>-h</c>), parsed by
/// System.CommandLine, and the subcommands <c>routes</c>, <c>dump-secret</c>, <c>keygen</c>, <c>rotate</c> and <c>keys</c>.
/// </summary>
/// <remarks>
/// Exit codes: 0 after a graceful stop (Ctrl+C, SIGTERM), 1 for usage errors, 2 when BINDINGS cannot be loaded
/// or bound, 3 when the address cannot be listened on, 4 when the server identity cannot be read.
/// </remarks>
public static partial class UsrvCommand
{
    /// <summary>Exit code: a BINDINGS assembly was not found or could not be bound.</summary>
    public const int BindingsError = 2;

    /// <summary>Exit code: the address and port cannot be listened on.</summary>
    public const int ListenError = 3;

    /// <summary>Exit code: the server identity cannot be read (secret file, secret store, wrong PIN).</summary>
    public const int IdentityError = 4;

    /// <summary>Exit code: the command line itself is wrong (an unknown option, a bad value), as Python's argparse exits.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Runs a parsed command line: a line with errors prints them and exits with <see cref="UsageError"/>
    /// (System.CommandLine's own exit code for them is 1).
    /// </summary>
    /// <param name="parse">The parsed command line (<see cref="Create"/>).</param>
    /// <param name="configuration">Output, error and signal settings.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> InvokeAsync(ParseResult parse, InvocationConfiguration configuration)
    {
        int exitCode = await parse.InvokeAsync(configuration).ConfigureAwait(false);
        return parse.Errors.Count > 0 && exitCode != 0 ? UsageError : exitCode;
    }

    /// <summary>Builds the root command.</summary>
    public static RootCommand Create()
    {
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "threads that run handlers on the built-in host (requests in flight: --max-connections)",
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
            {
                r.AddError(
                    $"--log-level: '{r.GetValueOrDefault<string>()}' is not a level " +
                    "(use 10, 20, 30, 40, 50 or debug, info, warning, error, critical)");
            }
        });

        var logFormat = LogFormatOption();

        var ip = new Option<string[]>("--ip", "-i")
        {
            Description = "address to listen on (IPv4 or IPv6, e.g. 127.0.0.1, 0.0.0.0, ::1); repeat it for several: -i 0.0.0.0 -i ::",
            DefaultValueFactory = _ => ["127.0.0.1"],
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        ip.Validators.Add(r =>
        {
            foreach (var text in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!IPAddress.TryParse(text, out _)) r.AddError($"--ip: '{text}' is not an IP address");
            }
        });

        var port = new Option<int>("--port", "-p")
        {
            Description = "TCP port to listen on",
            DefaultValueFactory = _ => 5000,
        };
        port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 65535) r.AddError("--port must be between 1 and 65535"); });

        var maxConnections = new Option<int>("--max-connections")
        {
            Description = "most requests in flight at once; beyond it new connections wait (default 1000)",
            DefaultValueFactory = _ => 1000,
        };
        maxConnections.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--max-connections must be at least 1");
        });

        var bindings = new Argument<string[]>("BINDINGS")
        {
            Description = "bindings assemblies, by name (looked up in the folders of usrv.path) or as paths to .dll files; " +
                "none serves usrv's demo bindings",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var secretFile = new Option<string?>("--secret-file")
        {
            Description = "file holding the secret the server identity derives from (as usrv derives keys); " +
                "default: USRV_SECRET, else a random key",
        };
        var secretStore = new Option<string?>("--secret-store")
        {
            Description = "secret store file written by 'usrv dump-secret'; its PIN is asked without echo",
        };

        var replayStore = new Option<string?>("--replay-store")
        {
            Description = "where usrv/2 nonces are remembered: redis://HOST:PORT, shared by several instances serving one key " +
                "(default: in memory)",
        };

        var allowWeakSecret = new Option<bool>("--allow-weak-secret")
        {
            Description = "accept a secret shorter than 16 characters or a common password (tests, usrv compatibility)",
        };
        var senders = new Option<string?>("--senders")
        {
            Description = "file of admitted sender keys (one base64 secp256k1 key per line, # comments): " +
                "every binding then answers only usrv/2 sealed calls from them",
        };

        var usrv04Compat = new Option<bool>("--usrv04-compat")
        {
            Description = "answer as usrv 0.4.3's Python client reads: errors as application/json {code, message, explain}, " +
                "handler headers in their received case, /puk as base64 of the 64-byte x||y (RouterOptions.Usrv04Compatible)",
        };

        var acceptUsrv04 = new Option<bool>("--accept-usrv04")
        {
            Description = "also speak usrv 0.4's sealed scheme (INSECURE: no authenticated cipher, the sender is not bound; " +
                "anyone who sees a call can re-sign it and read the answer); refused as 415 without it",
        };

        var server = new Option<string>("--server")
        {
            Description = "the HTTP server: 'listener' (the built-in HttpListener loop) or 'kestrel' (ASP.NET Core, needed for HTTPS)",
            DefaultValueFactory = _ => "listener",
        };
        server.AcceptOnlyFromAmong("listener", "kestrel");
        var cert = new Option<string?>("--cert")
        {
            Description = "certificate for HTTPS with HTTP/2 " +
                $"(PKCS#12 .pfx with its password in {KestrelHost.CertificatePasswordVariable}, or PEM with its key); " +
                "needs --server kestrel",
        };

        var noOpenApi = new Option<bool>("--no-openapi")
        {
            Description = "do not answer GET /openapi.json (the OpenAPI 3.1 description of the bindings)",
        };

        var root = new RootCommand("usrv: serve static methods marked [Bind] as HTTP endpoints")
        {
            threads, logLevel, logFormat, ip, port, maxConnections, server, cert, secretFile, secretStore, allowWeakSecret, replayStore,
            senders, noOpenApi, usrv04Compat, acceptUsrv04, bindings,
        };
        root.Validators.Add(r =>
        {
            if (r.GetValue(cert) is not null && r.GetValue(server) != "kestrel")
                r.AddError("--cert needs --server kestrel (the built-in listener serves plain HTTP)");
            // BINDINGS takes any token, so an option System.CommandLine does not know would be read as an assembly name.
            foreach (var name in r.GetValue(bindings) ?? [])
            {
                if (name.StartsWith('-')) r.AddError($"unknown option '{name}' (usrv --help lists the options)");
            }
        });
        root.Subcommands.Add(CreateDumpSecret());
        root.Subcommands.Add(KeyRingCommands.CreateKeygen());
        root.Subcommands.Add(KeyRingCommands.CreateRotate());
        root.Subcommands.Add(KeyRingCommands.CreateKeys());
        root.Subcommands.Add(CreateRoutes());
        root.SetAction(async (parse, _) =>
        {
            PythonLogLevel.TryParse(parse.GetValue(logLevel)!, out var level);
            var options = new UsrvHostOptions
            {
                Addresses = [.. parse.GetValue(ip)!.Select(IPAddress.Parse)],
                Port = parse.GetValue(port),
                Threads = parse.GetValue(threads),
                MaxConnections = parse.GetValue(maxConnections),
            };
            PrivateKey identity;
            string source;
            List<PreviousKey> previousKeys;
            try
            {
                (identity, source, previousKeys) = ServerIdentity.ResolveRing(
                    parse.GetValue(secretFile),
                    parse.GetValue(secretStore),
                    HiddenInput.Read,
                    parse.GetValue(allowWeakSecret));
            }
            catch (Exception e) when (
                e is IOException or UnauthorizedAccessException or SecretStoreException or ArgumentException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"usrv: no server identity: {e.Message}").ConfigureAwait(false);
                return IdentityError;
            }
            HashSet<Usrv.Crypto.PublicKey>? admitted = null;
            if (parse.GetValue(senders) is { } sendersFile)
            {
                try
                {
                    admitted = SendersFile.Read(sendersFile);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    await Console.Error.WriteLineAsync($"usrv: cannot use the senders file {sendersFile}: {e.Message}")
                        .ConfigureAwait(false);
                    identity.Dispose();
                    return BindingsError;
                }
            }
            RedisNonceStore? redis = null;
            if (parse.GetValue(replayStore) is { } replayUrl)
            {
                try
                {
                    redis = await RedisNonceStore.ConnectAsync(replayUrl).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ArgumentException or StackExchange.Redis.RedisException)
                {
                    var why = e is ArgumentException ? e.Message : "Redis does not answer there";
                    await Console.Error.WriteLineAsync($"usrv: cannot use the replay store {replayUrl}: {why}").ConfigureAwait(false);
                    identity.Dispose();
                    return BindingsError;
                }
            }
            X509Certificate2? certificate = null;
            if (parse.GetValue(cert) is { } certPath)
            {
                try
                {
                    certificate = KestrelHost.LoadCertificate(certPath);
                }
                catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
                {
                    await Console.Error.WriteLineAsync($"usrv: cannot use the certificate {certPath}: {e.Message}").ConfigureAwait(false);
                    return ListenError;
                }
            }
            try
            {
                using (identity)
                using (certificate)
                using (redis)
                {
                    return await RunAsync(
                            options,
                            level,
                            parse.GetValue(bindings) ?? [],
                            Console.Error,
                            identity,
                            source,
                            parse.GetValue(server) == "kestrel",
                            certificate,
                            redis is null ? null : new ReplayGuard(redis),
                            admitted,
                            previousKeys,
                            parse.GetValue(logFormat) == JsonLogFormat,
                            openApi: !parse.GetValue(noOpenApi),
                            usrv04Compatible: parse.GetValue(usrv04Compat),
                            acceptUsrv04: parse.GetValue(acceptUsrv04))
                        .ConfigureAwait(false);
                }
            }
            finally
            {
                foreach (var previous in previousKeys) previous.Key.Dispose();
            }
        });
        return root;
    }

    /// <summary>
    /// <c>usrv dump-secret [--store PATH]</c>: usrv's dump: asks for a secret and a PIN (twice) without echo, seals the
    /// secret in a store file (<see cref="SecretStore"/>) and prints the public key of the identity it gives.
    /// </summary>
    private static Command CreateDumpSecret()
    {
        var store = new Option<string>("--store")
        {
            Description = "the store file to write",
            DefaultValueFactory = _ => SecretStore.DefaultPath("server.secret"),
        };
        var force = new Option<bool>("--force") { Description = "replace a store that exists" };
        var command = new Command(
            "dump-secret",
            "seal a secret under a PIN in a store file (usrv's dump); start the server with --secret-store to use it")
        {
            store,
            force,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(store)!;
            if (File.Exists(path) && !parse.GetValue(force))
            {
                Console.Error.WriteLine($"usrv: {path} exists; it is never overwritten without --force");
                return KeyRingCommands.UsageError;
            }

            try
            {
                var secret = HiddenInput.Read("secret: ");
                if (secret.Trim().Length == 0) throw new ArgumentException("the secret is empty");
                var pin = HiddenInput.Read("PIN: ");
                if (HiddenInput.Read("PIN again: ") != pin) throw new ArgumentException("the two PINs differ");
                SecretStore.Dump(path, secret.Trim(), pin);
                using var key = PrivateKey.FromSecret(secret.Trim());
                Console.Out.WriteLine($"secret stored in {path}; public key {key.PublicKey}");
                return 0;
            }
            catch (Exception e) when (
                e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or SecretStoreException)
            {
                Console.Error.WriteLine($"usrv: {e.Message}");
                return IdentityError;
            }
        });
        return command;
    }

    /// <summary>The value of <c>--log-format</c> that writes one JSON object per line.</summary>
    public const string JsonLogFormat = "json";

    private static Option<string> LogFormatOption()
    {
        var logFormat = new Option<string>("--log-format")
        {
            Description = "log line format: 'simple' (one text line per entry) or 'json' (one JSON object per line, " +
                "Microsoft.Extensions.Logging's JSON console format)",
            DefaultValueFactory = _ => "simple",
        };
        logFormat.AcceptOnlyFromAmong("simple", JsonLogFormat);
        return logFormat;
    }

    /// <summary>
    /// <c>usrv routes [--senders FILE] BINDINGS...</c>: binds as the server would (the demo bindings when none are named) and
    /// prints the endpoint table to standard output, without a server, a secret or a secret store. Bind-time warnings go
    /// to standard error; bindings that cannot be bound exit with <see cref="BindingsError"/>.
    /// </summary>
    private static Command CreateRoutes()
    {
        var bindings = new Argument<string[]>("BINDINGS")
        {
            Description = "bindings assemblies, as for usrv itself; none lists usrv's demo bindings",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var senders = new Option<string?>("--senders")
        {
            Description = "file of admitted sender keys, as for usrv itself: the sender policy column then shows it",
        };
        var command = new Command("routes", "print the endpoints that BINDINGS give (methods, pattern, handler, senders) and exit")
        {
            senders,
            bindings,
        };
        command.SetAction(parse =>
        {
            using var identity = PrivateKey.Generate(); // the table shows no key: any will do
            var routerOptions = new RouterOptions { Identity = identity };
            if (parse.GetValue(senders) is { } sendersFile)
            {
                try
                {
                    routerOptions.Senders[SendersFile.SetName] = SendersFile.Read(sendersFile);
                    routerOptions.SenderPolicy = new RequireSenderAttribute(SendersFile.SetName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    Console.Error.WriteLine($"usrv: cannot use the senders file {sendersFile}: {e.Message}");
                    return BindingsError;
                }
            }
            using (var warnings = new BatchingConsoleLoggerProvider(Console.Error))
            using (var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning).AddProvider(warnings)))
            {
                var router = new Router(routerOptions, loggers);
                if (Bind(router, parse.GetValue(bindings) ?? []) is { } why)
                {
                    Console.Error.WriteLine($"usrv: {why}");
                    return BindingsError;
                }
                Console.Out.Write(EndpointTable.Format(router.Endpoints));
            }
            return 0;
        });
        return command;
    }

    // Binds BINDINGS (the demo bindings when none): null when bound, else why not.
    private static string? Bind(Router router, IReadOnlyList<string> bindings)
    {
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
            return null;
        }
        catch (Exception e) when (
            e is FileNotFoundException or BadImageFormatException or FileLoadException or BindingException or ReflectionTypeLoadException)
        {
            return e.Message;
        }
    }

    /// <summary>Runs the server until Ctrl+C or SIGTERM.</summary>
    /// <returns>The process exit code.</returns>
    /// <param name="options">Address, port and loops.</param>
    /// <param name="level">Minimum log level.</param>
    /// <param name="bindings">BINDINGS assembly names or paths; none serves the demo bindings.</param>
    /// <param name="error">Where one-line errors go.</param>
    /// <param name="identity">The server identity; a random key when <c>null</c>. Not disposed here.</param>
    /// <param name="identitySource">Where the identity came from, for the log.</param>
    /// <param name="kestrel">Serve on Kestrel (the adapter host) instead of the built-in listener.</param>
    /// <param name="certificate">HTTPS certificate (Kestrel only), or <c>null</c>.</param>
    /// <param name="replayGuard">The usrv/2 replay guard (e.g. on Redis); an in-memory one when <c>null</c>.</param>
    /// <param name="senders">When given, every binding admits only usrv/2 sealed calls from these keys (401 plain, 403 sealed).</param>
    /// <param name="previousKeys">
    /// Previous server keys served until their retire times (a key ring from the store); not disposed here.
    /// </param>
    /// <param name="jsonLog">Log one JSON object per line (<c>--log-format json</c>) instead of one text line per entry.</param>
    /// <param name="openApi">Answer <c>GET /openapi.json</c> (<see cref="RouterOptions.PublishOpenApi"/>); off with --no-openapi.</param>
    /// <param name="usrv04Compatible">
    /// <c>--usrv04-compat</c>: answer as usrv 0.4.3's Python client reads (<see cref="RouterOptions.Usrv04Compatible"/>).
    /// </param>
    /// <param name="acceptUsrv04">Also speak usrv 0.4's insecure sealed scheme (<see cref="RouterOptions.AcceptUsrv04"/>).</param>
    public static async Task<int> RunAsync(
        UsrvHostOptions options,
        LogLevel level,
        IReadOnlyList<string> bindings,
        TextWriter error,
        PrivateKey? identity = null,
        string identitySource = "a random key (new at each start)",
        bool kestrel = false,
        X509Certificate2? certificate = null,
        ReplayGuard? replayGuard = null,
        HashSet<Usrv.Crypto.PublicKey>? senders = null,
        IReadOnlyList<PreviousKey>? previousKeys = null,
        bool jsonLog = false,
        bool openApi = true,
        bool usrv04Compatible = false,
        bool acceptUsrv04 = false)
    {
        // disposed last: writes every queued line
        using var console = jsonLog ? BatchingConsoleLoggerProvider.Json() : new BatchingConsoleLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            // Kestrel's per-request lines would double the access log
            .AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning)
            // else ASP.NET Core starts a log scope and an Activity per request
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
            .AddProvider(console));
        var routerOptions = new RouterOptions
        {
            Identity = identity,
            ReplayGuard = replayGuard,
            PublishOpenApi = openApi,
            Usrv04Compatible = usrv04Compatible,
            AcceptUsrv04 = acceptUsrv04,
        };
        if (previousKeys is not null) routerOptions.PreviousKeys.AddRange(previousKeys);
        if (senders is not null)
        {
            routerOptions.Senders[SendersFile.SetName] = senders;
            routerOptions.SenderPolicy = new RequireSenderAttribute(SendersFile.SetName);
        }
        var router = new Router(routerOptions, loggers);
        loggers.CreateLogger("Usrv.Host").LogInformation("server public key {PublicKey} from {Source}", router.PublicKey, identitySource);
        if (acceptUsrv04)
        {
            loggers.CreateLogger("Usrv.Host").LogWarning(
                "--accept-usrv04: usrv 0.4's sealed scheme is spoken; it is insecure (no authenticated cipher, the sender is not bound)");
        }
        if (Bind(router, bindings) is { } why)
        {
            await error.WriteLineAsync($"usrv: {why}").ConfigureAwait(false);
            return BindingsError;
        }

        if (!kestrel && options.Addresses.Any(a => !ListenerHost.SupportsAddress(a)))
        {
            // The built-in listener cannot do IPv6 here; the adapter host answers the same, byte for byte, on every address.
            loggers.CreateLogger("Usrv.Host").LogInformation(
                "HttpListener cannot listen on IPv6 on this system: serving {Address} on Kestrel",
                string.Join(", ", options.Addresses));
            kestrel = true;
        }
        if (!kestrel && options.Addresses.FirstOrDefault(a => !IPAddress.IsLoopback(a)) is { } reachable)
        {
            // HttpListener has no timeout for a request's headers on this platform (DESIGN, Hosts; README, Limits).
            loggers.CreateLogger("Usrv.Host").LogWarning(
                "the built-in host does not time out clients that send their headers slowly; " +
                "on {Address}, an address others can reach, prefer --server kestrel",
                reachable);
        }
        await using IUsrvHost host = kestrel
            ? new KestrelHost(router, options, certificate, loggers)
            : new ListenerHost(router, options, loggers);
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (HostStartException e)
        {
            await error.WriteLineAsync($"usrv: {e.Message}").ConfigureAwait(false);
            return ListenError;
        }
        ReportStart(loggers.CreateLogger("Usrv.Host"), host, kestrel, router);

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

    // The start-up report: one line with the address, the host, the public key (never the secret) and the endpoint count;
    // at debug level, one line per endpoint.
    private static void ReportStart(ILogger log, IUsrvHost host, bool kestrel, Router router)
    {
        var endpoints = router.Endpoints;
        Started(log, string.Join(", ", host.BaseAddresses), kestrel ? "Kestrel" : "HttpListener", router.PublicKey.ToString(),
            router.PublicKey.JwkThumbprint(), endpoints.Count);
        if (!log.IsEnabled(LogLevel.Debug)) return;
        foreach (var endpoint in endpoints)
            Endpoint(log, string.Join(",", endpoint.Methods), endpoint.Pattern, endpoint.Handler, endpoint.SenderPolicy);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "usrv serving {Url} on {HostKind}, public key {PublicKey} (kid {Kid}), {EndpointCount} endpoints")]
    private static partial void Started(ILogger log, string url, string hostKind, string publicKey, string kid, int endpointCount);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "endpoint {Methods} {Pattern} -> {Handler} ({SenderPolicy})")]
    private static partial void Endpoint(ILogger log, string methods, string pattern, string handler, string senderPolicy);
}
