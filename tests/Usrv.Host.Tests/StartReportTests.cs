using System.Net;
using System.Text.Json;

namespace Usrv.Host.Tests;

/// <summary>
/// The real <c>usrv</c>: its start-up report (address, host, public key, endpoint count; every endpoint at <c>-l debug</c>),
/// <c>--log-format json</c>, and <c>usrv routes</c>.
/// </summary>
public sealed class StartReportTests
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    private static async Task<List<JsonElement>> ServeOnceAsync(string query, params string[] args)
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, ["-p", port.ToString(), .. args]);
        await usrv.WaitUntilServingAsync(baseAddress, StartBound);
        using (var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout })
        {
            await client.GetStringAsync("/test?" + query);
        }
        usrv.Terminate();
        Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));
        // Every line is one JSON object: parsing any other line fails the test.
        return [.. usrv.Output.Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    [Fact]
    public async Task Json_log_lines_carry_the_access_fields_and_never_the_query()
    {
        const string secret = "s3cr3t-Value-9f2c";

        var lines = await ServeOnceAsync($"a={secret}&b=12", "--log-format", "json");

        var access = Assert.Single(lines, l => l.GetProperty("Category").GetString() == "Usrv.Access"
            && l.GetProperty("State").GetProperty("Method").GetString() == "GET"); // the others: HEAD / until it served
        Assert.Equal("Information", access.GetProperty("LogLevel").GetString());
        var state = access.GetProperty("State");
        Assert.Equal("GET", state.GetProperty("Method").GetString());
        Assert.Equal("/test?...", state.GetProperty("Target").GetString());
        Assert.Equal("HTTP/1.1", state.GetProperty("Protocol").GetString());
        Assert.Equal("200", state.GetProperty("Status").GetString());
        Assert.StartsWith("127.0.0.1:", state.GetProperty("Remote").GetString());
        Assert.DoesNotContain(lines, l => l.GetRawText().Contains(secret) || l.GetRawText().Contains("b=12"));
    }

    [Theory]
    [InlineData("listener", "HttpListener")]
    [InlineData("kestrel", "Kestrel")]
    public async Task The_start_up_line_gives_address_host_public_key_and_endpoint_count(string server, string hostKind)
    {
        var lines = await ServeOnceAsync("", "--log-format", "json", "--server", server);

        var start = Assert.Single(lines, l => l.GetProperty("EventId").GetInt32() == 10 && l.GetProperty("Category").GetString() == "Usrv.Host");
        var state = start.GetProperty("State");
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", state.GetProperty("Url").GetString());
        Assert.Equal(hostKind, state.GetProperty("HostKind").GetString());
        var key = Usrv.Crypto.PublicKey.Parse(state.GetProperty("PublicKey").GetString()!); // the key as GET /puk gives it
        Assert.Equal(key.JwkThumbprint(), state.GetProperty("Kid").GetString());
        Assert.Equal(8, state.GetProperty("EndpointCount").GetInt32()); // the demo bindings
        Assert.DoesNotContain(lines, l => l.GetProperty("LogLevel").GetString() == "Debug"); // -l 20 by default
    }

    [Fact]
    public async Task At_debug_level_every_endpoint_is_logged_with_methods_pattern_handler_and_senders()
    {
        var lines = await ServeOnceAsync("", "--log-format", "json", "-l", "debug");

        var endpoints = lines.Where(l => l.GetProperty("EventId").GetInt32() == 11).Select(l => l.GetProperty("State")).ToList();
        Assert.Equal(8, endpoints.Count);
        Assert.Contains(endpoints, e =>
            e.GetProperty("Methods").GetString() == "GET,POST" && e.GetProperty("Pattern").GetString() == "/kwargs"
            && e.GetProperty("Handler").GetString() == "Usrv.Host.DemoBindings.Kwargs"
            && e.GetProperty("SenderPolicy").GetString() == "any caller");
    }

    [Fact]
    public async Task The_simple_format_stays_one_text_line_per_entry()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", port.ToString());
        await usrv.WaitUntilServingAsync(new Uri($"http://127.0.0.1:{port}/"), StartBound);
        usrv.Terminate();
        Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));

        Assert.Contains(usrv.Output, line => System.Text.RegularExpressions.Regex.IsMatch(line,
            $@"info: Usrv\.Host\[10\] usrv serving http://127\.0\.0\.1:{port}/ on HttpListener, public key \S+ \(kid \S+\), 8 endpoints$"));
    }

    [Fact]
    public async Task Usrv_routes_prints_the_endpoint_table_of_the_demo_bindings_and_exits_0_without_serving()
    {
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "routes");

        Assert.Equal(0, await usrv.WaitForExitAsync(StartBound));
        Assert.Equal(
            [
                "METHODS   PATTERN       HANDLER                          SENDERS",
                "HEAD      /             Usrv.Host.DemoBindings.Root      any caller",
                "GET       /test         Usrv.Host.DemoBindings.Test      any caller",
                "GET       /<int:b>/<a>  Usrv.Host.DemoBindings.Pair      any caller",
                "GET       /vargs        Usrv.Host.DemoBindings.Vargs     any caller",
                "GET,POST  /kwargs       Usrv.Host.DemoBindings.Kwargs    any caller",
                "GET       /puk          Usrv.Host.DemoBindings.Puk       any caller",
                "GET       /error_406    Usrv.Host.DemoBindings.Error406  any caller",
                "GET       /error_500    Usrv.Host.DemoBindings.Error500  any caller",
            ],
            usrv.Output);
        Assert.Empty(usrv.Error);
    }

    [Fact]
    public async Task Usrv_routes_lists_a_bindings_assembly_and_refuses_one_it_cannot_find()
    {
        await using (var samples = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "routes", "Usrv.Samples"))
        {
            Assert.Equal(0, await samples.WaitForExitAsync(StartBound));
            Assert.Contains(samples.Output, line => line.StartsWith("GET      /add/<int:a>/<int:b>  Usrv.Samples.Greetings.Add"));
        }
        await using var missing = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "routes", "NoSuchAssembly");
        Assert.Equal(UsrvCommand.BindingsError, await missing.WaitForExitAsync(StartBound));
        Assert.Contains(missing.Error, line => line.StartsWith("usrv: bindings assembly 'NoSuchAssembly' not found"));
    }

    [Fact]
    public async Task Usrv_routes_warns_on_stderr_of_an_assembly_without_bind_methods()
    {
        var crypto = Path.Combine(AppContext.BaseDirectory, "Usrv.Crypto.dll");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "routes", crypto);

        Assert.Equal(0, await usrv.WaitForExitAsync(StartBound));
        Assert.Equal(["METHODS  PATTERN  HANDLER  SENDERS"], usrv.Output);
        Assert.Contains(usrv.Error, line => line.EndsWith("warn: Usrv.Binding[2] assembly Usrv.Crypto has no [Bind] method: it adds no endpoint"));
    }
}
