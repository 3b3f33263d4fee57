namespace Usrv.Install.Tests;

/// <summary>README, Install: a bindings library on the Usrv.Route package, served by the installed usrv tool.</summary>
[Collection(InstallCollection.Name)]
public sealed class BindingsLibraryTests(LocalPackages packages)
{
    private const string Api = """
        using Usrv.Route;

        namespace MyApi;

        public static class Api
        {
            [Bind("/hello/<name>")]
            public static (int, string) Hello(string name) => (200, $"hello {name}, from a package");
        }
        """;

    [Fact]
    public async Task A_classlib_with_the_Usrv_Route_package_is_served_by_the_installed_tool()
    {
        var folder = packages.NewProjectFolder("MyApi");
        await packages.Dotnet(["new", "classlib", "-n", "MyApi", "-o", folder, "--no-restore"], packages.WorkFolder);
        File.Delete(Path.Combine(folder, "Class1.cs"));
        await File.WriteAllTextAsync(Path.Combine(folder, "Api.cs"), Api);
        await packages.Dotnet(["add", "package", "Usrv.Route", "--version", packages.Version], folder);
        await packages.Dotnet(["build", "-c", "Release"], folder);
        var assembly = Path.Combine(folder, "bin", "Release", "net10.0", "MyApi.dll");
        Assert.True(File.Exists(assembly), assembly);

        await packages.InstallToolAsync();
        var port = Loopback.FreePort();
        await using var usrv = ChildProcess.Start(packages.UsrvCommand, [assembly, "-p", port.ToString()], packages.WorkFolder, packages.Environment);

        var (status, body) = await Loopback.GetWhenUpAsync($"http://127.0.0.1:{port}/hello/bob", usrv, TimeSpan.FromSeconds(60));
        Assert.Equal(200, status);
        Assert.Equal("\"hello bob, from a package\"", body);

        usrv.Terminate();
        Assert.True(await usrv.WaitForExitAsync(TimeSpan.FromSeconds(30)), usrv.Output);
    }
}
