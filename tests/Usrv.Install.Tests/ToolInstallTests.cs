using System.Text.RegularExpressions;

namespace Usrv.Install.Tests;

/// <summary>
/// README, Install: <c>dotnet tool install usrv</c>. The README shows <c>--global</c>; the test installs into a temporary
/// <c>--tool-path</c> instead, which is the same package, restore and launcher without touching the machine's tools.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class ToolInstallTests(LocalPackages packages)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_installed_tool_prints_the_version_of_Directory_Build_props()
    {
        var install = await packages.InstallToolAsync();
        Assert.Contains($"'usrv' (version '{packages.Version}')", install.Output);

        await using var version = await ChildProcess.RunAsync(packages.UsrvCommand, ["--version"], packages.WorkFolder, packages.Environment, Bound);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(new Regex($@"^{Regex.Escape(packages.Version)}(\+[0-9a-f]+)?$"), version.Output.Trim());
    }

    [Fact]
    public async Task The_installed_tool_serves_the_demo_bindings_and_stops_on_SIGTERM()
    {
        await packages.InstallToolAsync();
        var port = Loopback.FreePort();
        await using var usrv = ChildProcess.Start(packages.UsrvCommand, ["-p", port.ToString()], packages.WorkFolder, packages.Environment);

        var (status, body) = await Loopback.GetWhenUpAsync($"http://127.0.0.1:{port}/test?b=12&a=Paris", usrv, Bound);
        Assert.Equal(200, status);
        Assert.Equal("""["Paris","12"]""", body);

        usrv.Terminate();
        Assert.True(await usrv.WaitForExitAsync(TimeSpan.FromSeconds(30)), usrv.Output);
        Assert.Equal(0, usrv.ExitCode);
    }
}
