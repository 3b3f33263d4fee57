using System.Net;

namespace Usrv.Host.Tests;

/// <summary><c>usrv --static DIR[:PREFIX]</c> (README, Static files), as a process, on both servers.</summary>
public sealed class StaticFilesCommandLineTests
{
    [Theory]
    [InlineData("listener")]
    [InlineData("kestrel")]
    public async Task Usrv_serves_each_static_folder_under_its_prefix_after_the_bindings(string server)
    {
        using var folder = new StaticFolder();
        var second = Directory.CreateDirectory(Path.Combine(folder.Base, "second")).FullName;
        File.WriteAllText(Path.Combine(second, "notes.txt"), "second folder");
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot,
            "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--server", server,
            "--static", folder.Root, "--static", second + ":/more");

        await usrv.WaitUntilServingAsync(baseAddress, TimeSpan.FromSeconds(20));
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout };

        Assert.Equal("hello, static world", await client.GetStringAsync("/hello.txt"));
        Assert.Equal("second folder", await client.GetStringAsync("/more/notes.txt"));
        Assert.Equal("""["Paris","12"]""", await client.GetStringAsync("/test?b=12&a=Paris")); // the demo bindings first
        using var leak = await client.GetAsync("/leak.txt");
        Assert.Equal(HttpStatusCode.NotFound, leak.StatusCode);
        usrv.Terminate();
        await usrv.WaitForExitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void A_static_folder_that_does_not_exist_is_a_usage_error()
    {
        var parse = UsrvCommand.Create().Parse(["--static", "/no/such/folder:/x"]);

        Assert.Contains(parse.Errors, e => e.Message.Contains("--static: '/no/such/folder:/x': no such folder"));
    }
}
