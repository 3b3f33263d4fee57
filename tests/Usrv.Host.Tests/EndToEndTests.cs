using System.Net;
using System.Net.Sockets;

namespace Usrv.Host.Tests;

/// <summary>
/// The real <c>usrv</c> program, started as a process on a free loopback port, driven with HttpClient,
/// and stopped with SIGTERM — as a user or a service manager would.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    [Fact]
    public void Usrv_dll_is_next_to_the_tests()
    {
        Assert.True(File.Exists(UsrvProcess.UsrvDll), UsrvProcess.UsrvDll);
        Assert.True(File.Exists(Path.ChangeExtension(UsrvProcess.UsrvDll, ".runtimeconfig.json")), "usrv.runtimeconfig.json must be copied too");
    }

    [Fact]
    public async Task Usrv_version_prints_the_version_of_usrv()
    {
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "--version");

        Assert.Equal(0, await usrv.WaitForExitAsync(StartBound));
        var version = typeof(UsrvCommand).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal(version, Assert.Single(usrv.Output));
    }

    [Theory]
    [InlineData("listener")]
    [InlineData("kestrel")]
    public async Task Usrv_serves_the_demo_bindings_logs_each_request_and_stops_on_SIGTERM_with_exit_code_0(string server)
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", port.ToString(), "--server", server);

        await usrv.WaitUntilServingAsync(baseAddress, StartBound);
        using (var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout })
        {
            Assert.Equal("""["Paris","12"]""", await client.GetStringAsync("/test?b=12&a=Paris"));
        }
        usrv.Terminate();
        int exitCode = await usrv.WaitForExitAsync(ExitBound);

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {string.Join('\n', usrv.Error)}");
        Assert.Contains(usrv.Output, line => line.Contains($"listening on http://127.0.0.1:{port}/"));
        Assert.DoesNotContain(usrv.Output, line => line.Contains("Microsoft.AspNetCore")); // one access line per request, not Kestrel's too
        Assert.Contains(usrv.Output, line =>
            line.Contains("Usrv.Access") && System.Text.RegularExpressions.Regex.IsMatch(line, """127\.0\.0\.1:\d+ - "GET /test\?\.\.\. HTTP/1\.1" 200$"""));
    }

    [IPv6LoopbackFact]
    public async Task Usrv_serves_on_the_IPv6_loopback_with_i()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.IPv6Loopback);
        var baseAddress = new Uri($"http://[::1]:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-i", "::1", "-p", port.ToString());

        await usrv.WaitUntilServingAsync(baseAddress, StartBound);
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout };
        Assert.Equal("""["Paris","12"]""", await client.GetStringAsync("/test?b=12&a=Paris"));

        // A sealed call signs the authority as HttpClient sends it: [::1]:port, brackets included.
        var serverKey = Usrv.Crypto.PublicKey.Parse(System.Text.Json.JsonSerializer.Deserialize<string>(await client.GetStringAsync("/puk"))!);
        using var peer = new Usrv.Route.Client.Peer(baseAddress.ToString(), new Usrv.Route.Client.PeerOptions { ServerKey = serverKey });
        Assert.Equal(new[] { "Paris", "12" }, await peer.GetAsync<string[]>("/test", new { b = 12, a = "Paris" }));
        usrv.Terminate();
        Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));
    }

    [Fact]
    public async Task Usrv_loads_a_bindings_assembly_found_through_usrv_path()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", port.ToString(), "-l", "30", "Usrv.Samples");

        await usrv.WaitUntilServingAsync(baseAddress, StartBound);
        using (var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout })
        {
            Assert.Equal("\"hello bob\"", await client.GetStringAsync("/user/bob"));
            Assert.Equal("5", await client.GetStringAsync("/add/2/3"));
        }
        usrv.Terminate();

        Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));
        Assert.DoesNotContain(usrv.Output, line => line.Contains("Usrv.Access")); // -l 30: warnings and above only
    }

    [Fact]
    public async Task An_assembly_that_cannot_be_found_is_an_error_listing_the_folders_searched()
    {
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", ListenerHostFixture.FreePort(IPAddress.Loopback).ToString(), "NoSuchAssembly");

        int exitCode = await usrv.WaitForExitAsync(StartBound);

        Assert.NotEqual(0, exitCode);
        var error = string.Join('\n', usrv.Error);
        Assert.Contains("NoSuchAssembly", error);
        Assert.Contains("folders searched", error);
        Assert.Contains(Path.Combine(UsrvProcess.RepositoryRoot, "samples", "Usrv.Samples", "bin", "Debug", "net10.0"), error);
        Assert.Contains(Path.Combine(UsrvProcess.RepositoryRoot, "usrv.path"), error);
    }

    [Theory]
    [InlineData("listener")]
    [InlineData("kestrel")]
    public async Task A_port_already_in_use_is_one_clear_line_and_a_non_zero_exit_code(string server)
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            int port = ((IPEndPoint)busy.LocalEndpoint).Port;
            await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", port.ToString(), "--server", server);

            int exitCode = await usrv.WaitForExitAsync(StartBound);

            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(usrv.Error, l => l.Trim().Length > 0);
            Assert.StartsWith("usrv: ", line);
            Assert.Contains($"127.0.0.1:{port}", line);
            Assert.DoesNotContain(usrv.Output, l => l.Contains("Exception") || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        }
        finally
        {
            busy.Stop();
        }
    }
    // README, Limits: HttpListener has no header-read timeout here, so usrv warns when the built-in host is reachable
    // from elsewhere; on the any-address it serves every Host name, as behind a reverse proxy that forwards its own.
    [Fact]
    public async Task On_the_any_address_the_built_in_host_warns_of_slow_headers_and_serves_any_Host_name()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Any);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-i", "0.0.0.0", "-p", port.ToString());

        await usrv.WaitUntilServingAsync(baseAddress, StartBound);
        var proxied = await RawHttp.ExchangeAsync(baseAddress, "GET /test?b=12&a=Paris HTTP/1.1\r\nHost: api.example.com");
        usrv.Terminate();
        Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));

        Assert.Equal(200, proxied.Status);
        Assert.Equal("""["Paris","12"]""", proxied.Body);
        Assert.Contains(usrv.Output.Concat(usrv.Error), line =>
            line.Contains("does not time out clients that send their headers slowly") && line.Contains("0.0.0.0"));
    }

    [Theory]
    [InlineData("listener", "127.0.0.1")]
    [InlineData("kestrel", "0.0.0.0")]
    public async Task On_the_loopback_or_on_Kestrel_there_is_no_slow_header_warning(string server, string address)
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Parse(address));
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-i", address, "-p", port.ToString(), "--server", server);

        await usrv.WaitUntilServingAsync(baseAddress, StartBound);
        usrv.Terminate();
        Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));

        Assert.DoesNotContain(usrv.Output.Concat(usrv.Error), line => line.Contains("headers slowly"));
    }
    // HttpListener's managed implementation throws from Start when a client connects while it starts (its endpoint
    // listener accepts before it makes its connection table), and in a fresh process that window is JIT-wide; usrv
    // starts it again. Before: the process died with an unhandled ArgumentNullException in about one start of three
    // under a client that keeps trying, as a health check or a retrying client does during a restart.
    [Fact]
    public async Task A_client_that_keeps_trying_while_usrv_starts_does_not_stop_the_start()
    {
        for (int start = 0; start < 6; start++)
        {
            int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", port.ToString());

            using var stopKnocking = new CancellationTokenSource(StartBound);
            var knockers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stopKnocking.IsCancellationRequested)
                {
                    using var tcp = new TcpClient();
                    try { await tcp.ConnectAsync(IPAddress.Loopback, port, stopKnocking.Token); }
                    catch (Exception e) when (e is SocketException or OperationCanceledException) { }
                    // About a knock a millisecond each: the race window is JIT-wide, and the server keeps its cores.
                    try { await Task.Delay(1, stopKnocking.Token); }
                    catch (OperationCanceledException) { }
                }
            })).ToList();
            string? answer = null;
            while (answer is null && !usrv.HasExited && !stopKnocking.IsCancellationRequested)
            {
                try { answer = await client.GetStringAsync("/test?b=12&a=Paris"); }
                catch (HttpRequestException) { await Task.Delay(2); }
            }
            stopKnocking.Cancel();
            await Task.WhenAll(knockers);

            Assert.True(answer is not null, $"start {start}: no answer; stderr: {string.Join('\n', usrv.Error)}");
            Assert.Equal("""["Paris","12"]""", answer);
            usrv.Terminate();
            Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));
        }
    }
}
