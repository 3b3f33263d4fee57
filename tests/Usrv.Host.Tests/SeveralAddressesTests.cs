using System.Net;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// One server on several addresses (<see cref="UsrvHostOptions.Addresses"/>, <c>usrv -i A -i B</c>): each address answers
/// on the same port, IPv4 and IPv6, the any-addresses together included. Tests only talk to 127.0.0.1 and ::1.
/// </summary>
public sealed class SeveralAddressesTests
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    private static async Task<string> GetAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout };
        return await client.GetStringAsync("/test?b=12&a=Paris");
    }

    private static UsrvHostOptions Options(int port, params string[] addresses) =>
        new() { Addresses = [.. addresses.Select(IPAddress.Parse)], Port = port, Threads = 2 };

    private static Uri Url(string host, int port) => new($"http://{host}:{port}/");

    [Fact]
    public void Address_stays_the_first_address_and_setting_it_makes_it_the_only_one()
    {
        var options = Options(5000, "127.0.0.1", "::1", "127.0.0.1");
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], options.Addresses);   // repeats ignored
        Assert.Equal(IPAddress.Loopback, options.Address);
        Assert.Equal(["http://127.0.0.1:5000/", "http://[::1]:5000/"], options.Urls);

        options.Address = IPAddress.Any;

        Assert.Equal([IPAddress.Any], options.Addresses);
        Assert.Throws<ArgumentException>(() => options.Addresses = []);
    }

    [IPv6LoopbackFact]
    public async Task Kestrel_answers_on_an_IPv4_and_an_IPv6_address_on_one_port()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.IPv6Any);
        await using var host = new KestrelHost(new Router().BindType(typeof(DemoBindings)), Options(port, "127.0.0.1", "::1"));
        await host.StartAsync();

        Assert.Equal([Url("127.0.0.1", port), Url("[::1]", port)], host.BaseAddresses);
        Assert.Equal("""["Paris","12"]""", await GetAsync(Url("127.0.0.1", port)));
        Assert.Equal("""["Paris","12"]""", await GetAsync(Url("[::1]", port)));
    }

    [IPv6LoopbackFact]
    public async Task Kestrel_takes_both_any_addresses_together_without_EADDRINUSE()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.IPv6Any);
        await using var host = new KestrelHost(new Router().BindType(typeof(DemoBindings)), Options(port, "0.0.0.0", "::", "127.0.0.1"));
        await host.StartAsync();

        Assert.Equal("""["Paris","12"]""", await GetAsync(Url("127.0.0.1", port)));
        Assert.Equal("""["Paris","12"]""", await GetAsync(Url("[::1]", port)));
    }

    [Theory]
    [InlineData("kestrel")]
    [InlineData("listener")]
    public async Task An_IPv4_address_under_the_IPv4_any_address_is_served_once(string server)
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Any);
        var router = new Router().BindType(typeof(DemoBindings));
        var options = Options(port, "0.0.0.0", "127.0.0.1");
        await using IUsrvHost host = server == "kestrel" ? new KestrelHost(router, options) : new ListenerHost(router, options);
        await host.StartAsync();

        Assert.Equal(2, host.BaseAddresses.Count);
        Assert.Equal("""["Paris","12"]""", await GetAsync(Url("127.0.0.1", port)));
    }

    [IPv6LoopbackFact]
    public async Task The_built_in_host_serves_a_list_with_IPv6_only_where_HttpListener_can_and_names_the_address_it_cannot()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.IPv6Any);
        await using var host = new ListenerHost(new Router().BindType(typeof(DemoBindings)), Options(port, "127.0.0.1", "::1"));
        if (ListenerHost.SupportsAddress(IPAddress.IPv6Loopback))
        {
            host.Start();
            Assert.Equal("""["Paris","12"]""", await GetAsync(Url("[::1]", port)));
            return;
        }
        var error = Assert.Throws<HostStartException>(host.Start);   // never a silent IPv4-only start
        Assert.Contains($"http://[::1]:{port}/", error.Message);
        Assert.Contains("--server kestrel", error.Message);
    }

    // README, Command line: with an IPv6 address in the list, usrv serves the whole list on Kestrel where HttpListener
    // cannot do IPv6, says so, and its start-up line gives every address.
    [IPv6LoopbackFact]
    public async Task Usrv_with_i_repeated_serves_every_address_and_its_start_up_line_lists_them()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.IPv6Any);
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-i", "127.0.0.1", "-i", "::1", "-p", port.ToString());
        await usrv.WaitUntilServingAsync(Url("127.0.0.1", port), StartBound);

        var ipv6 = await GetAsync(Url("[::1]", port));
        usrv.Terminate();
        Assert.Equal(0, await usrv.WaitForExitAsync(ExitBound));

        Assert.Equal("""["Paris","12"]""", ipv6);
        Assert.Contains(usrv.Output, line => line.Contains($"usrv serving http://127.0.0.1:{port}/, http://[::1]:{port}/ on "));
        if (!ListenerHost.SupportsAddress(IPAddress.IPv6Loopback))
        {
            Assert.Contains(usrv.Output, line => line.Contains("serving 127.0.0.1, ::1 on Kestrel"));
        }
    }
}
