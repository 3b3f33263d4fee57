namespace Usrv.Install.Tests;

/// <summary>
/// README, Install: an ASP.NET Core app on the Usrv.Host package (MapUsrv). The hosting library is a library: the app's
/// output gets neither the usrv program, nor System.CommandLine, nor its language folders.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class AspNetCoreAppTests(LocalPackages packages)
{
    private const string Program = """
        using Usrv.Host.AspNetCore;
        using Usrv.Route;

        var app = WebApplication.Create(args);
        app.MapGet("/health", () => "ok");
        app.MapUsrv(new Router().Bind("/hello/<name>", (string name) => (200, $"hello {name}, from MapUsrv")));
        app.Run();
        """;

    [Fact]
    public async Task A_web_app_with_the_Usrv_Host_package_maps_usrv_bindings_and_carries_no_tool()
    {
        var folder = packages.NewProjectFolder("MyWeb");
        await packages.Dotnet(["new", "web", "-n", "MyWeb", "-o", folder, "--no-restore"], packages.WorkFolder);
        await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"), Program);
        await packages.Dotnet(["add", "package", "Usrv.Host", "--version", packages.Version], folder);
        await packages.Dotnet(["build", "-c", "Release"], folder);
        var output = Path.Combine(folder, "bin", "Release", "net10.0");

        Assert.True(File.Exists(Path.Combine(output, "Usrv.Host.dll")));
        Assert.True(File.Exists(Path.Combine(output, "Usrv.Route.dll")));
        Assert.False(File.Exists(Path.Combine(output, "usrv.dll")));
        Assert.Empty(Directory.GetFiles(output, "System.CommandLine*.dll", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(output, "*.resources.dll", SearchOption.AllDirectories));

        var port = Loopback.FreePort();
        await using var app = ChildProcess.Start(LocalPackages.DotnetHost,
            [Path.Combine(output, "MyWeb.dll"), "--urls", $"http://127.0.0.1:{port}"], folder, packages.Environment);

        var (status, body) = await Loopback.GetWhenUpAsync($"http://127.0.0.1:{port}/hello/bob", app, TimeSpan.FromSeconds(60));
        Assert.Equal(200, status);
        Assert.Equal("\"hello bob, from MapUsrv\"", body);
        var (healthStatus, health) = await Loopback.GetWhenUpAsync($"http://127.0.0.1:{port}/health", app, TimeSpan.FromSeconds(10));
        Assert.Equal((200, "ok"), (healthStatus, health));
    }
}
