using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Usrv.Install.Tests;

/// <summary><c>dotnet pack -c Release</c> of the solution: which packages, and what each one carries.</summary>
[Collection(InstallCollection.Name)]
public sealed class PackTests(LocalPackages packages)
{
    [Fact]
    public void The_solution_packs_exactly_the_five_packages_each_with_its_symbols()
    {
        var files = Directory.GetFiles(packages.PackageFolder).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal).ToList();
        var expected = LocalPackages.ExpectedIds
            .SelectMany(id => new[] { $"{id}.{packages.Version}.nupkg", $"{id}.{packages.Version}.snupkg" })
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, files);
    }

    [Fact]
    public void Packing_prints_no_warning()
    {
        // MSBuild's form, e.g. "Usrv.Host.csproj : warning NU5104: ..." or "Program.cs(3,1): warning CS0168: ...".
        Assert.DoesNotMatch(new Regex(@"\bwarning [A-Z]+[0-9]+\b", RegexOptions.IgnoreCase), packages.PackOutput);
    }

    [Theory]
    [InlineData("Usrv.Crypto")]
    [InlineData("Usrv.Route")]
    [InlineData("Usrv.Host")]
    [InlineData("Usrv.Plugins")]
    [InlineData("usrv")]
    public void Every_package_has_the_license_readme_repository_authors_description_and_tags(string id)
    {
        var (nuspec, entries) = Read(id);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(id, Value("id"));
        Assert.Equal(packages.Version, Value("version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("usrv for .NET contributors", Value("authors"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Contains("usrv", (Value("tags") ?? "").Split(' '));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal("https://github.com/usrv-dotnet/usrv-dotnet", repository.Attribute("url")?.Value);
        var readme = Value("readme");
        Assert.NotNull(readme);
        Assert.Contains(readme, entries);
        Assert.Contains(entries, entry => entry.EndsWith($"/{(id == "usrv" ? "usrv" : id)}.xml", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tool_package_is_a_dotnet_tool_named_usrv_with_no_dependency()
    {
        var (nuspec, entries) = Read("usrv");
        Assert.Contains(nuspec.Descendants(), e => e.Name.LocalName == "packageType" && e.Attribute("name")?.Value == "DotnetTool");
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
        Assert.Contains("tools/net10.0/any/usrv.dll", entries);
        Assert.Contains("tools/net10.0/any/Usrv.Host.dll", entries);
        Assert.DoesNotContain(entries, entry => entry.Contains("Usrv.Samples", StringComparison.Ordinal));
        var settings = entries.Single(entry => entry.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        using var zip = ZipFile.OpenRead(Path.Combine(packages.PackageFolder, $"usrv.{packages.Version}.nupkg"));
        using var stream = zip.GetEntry(settings)!.Open();
        var command = XDocument.Load(stream).Descendants("Command").Single();
        Assert.Equal("usrv", command.Attribute("Name")?.Value);
        Assert.Equal("usrv.dll", command.Attribute("EntryPoint")?.Value);
    }

    [Fact]
    public void The_hosting_library_depends_on_Usrv_Route_ASP_NET_Core_and_its_OpenAPI_only()
    {
        var (nuspec, entries) = Read("Usrv.Host");
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")?.Value).ToList();
        // Microsoft.AspNetCore.OpenApi for OpenApiOptions.AddUsrv; it brings Microsoft.OpenApi 2.x, which Usrv.Route takes too.
        Assert.Equal(["Microsoft.AspNetCore.OpenApi", "Usrv.Route"], dependencies.Order());
        var frameworks = nuspec.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => e.Attribute("name")?.Value);
        Assert.Equal(["Microsoft.AspNetCore.App"], frameworks);
        Assert.Equal(["lib/net10.0/Usrv.Host.dll", "lib/net10.0/Usrv.Host.xml"], entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)).Order());
    }

    private (XDocument Nuspec, List<string> Entries) Read(string id)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(packages.PackageFolder, $"{id}.{packages.Version}.nupkg"));
        var entries = zip.Entries.Select(entry => entry.FullName).ToList();
        using var stream = zip.Entries.Single(entry => entry.FullName == $"{id}.nuspec").Open();
        return (XDocument.Load(stream), entries);
    }
}
