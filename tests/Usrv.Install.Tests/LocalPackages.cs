using System.Security;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Usrv.Install.Tests;

/// <summary>
/// Once per test run: <c>dotnet pack -c Release</c> of a copy of the repository into a temporary package folder, and a
/// temporary work folder whose nuget.config lists that folder beside the sources this machine already uses.
/// </summary>
/// <remarks>
/// Every install runs with NUGET_PACKAGES set to a global packages folder of its own inside the temporary folder: the
/// same version (say 0.2.0) packed again must be the one installed, never a stale copy that an earlier run left in the
/// machine's global packages folder; and nothing is deleted from that shared folder, which other builds on the machine
/// may be using. The cost is restoring the few third-party dependencies again (Secp256k1.Net, StackExchange.Redis...),
/// which NuGet's HTTP cache keeps cheap. Packing itself uses the machine's folder: it installs no usrv package.
/// Build servers are off for every child (node reuse, the MSBuild server, the shared compiler), so that no server
/// outlives a command holding its output open, and nothing is left running after the tests.
/// </remarks>
public sealed class LocalPackages : IAsyncLifetime
{
    /// <summary>The ids <c>dotnet pack Usrv.sln</c> makes, and only those.</summary>
    public static readonly string[] ExpectedIds = ["Usrv.Crypto", "Usrv.Route", "Usrv.Host", "Usrv.Plugins", "usrv"];

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);

    private readonly Lazy<Task<ChildProcess>> _toolInstall;

    /// <summary>Creates the fixture (the work happens in <see cref="InitializeAsync"/>).</summary>
    public LocalPackages() => _toolInstall = new(() => Dotnet(
        ["tool", "install", "usrv", "--tool-path", ToolPath, "--add-source", PackageFolder, "--version", Version], WorkFolder));

    /// <summary>The temporary folder that holds everything below; deleted at the end.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "usrv-install-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The packages packed by this run.</summary>
    public string PackageFolder => Path.Combine(Root, "packages");

    /// <summary>Where new projects are made; its nuget.config is the one they restore with.</summary>
    public string WorkFolder => Path.Combine(Root, "work");

    /// <summary>The <c>--tool-path</c> of the installed usrv.</summary>
    public string ToolPath => Path.Combine(Root, "tools");

    /// <summary>The installed usrv command.</summary>
    public string UsrvCommand => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "usrv.exe" : "usrv");

    /// <summary>The version of the repository, from its one place: Directory.Build.props.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Everything <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; private set; } = "";

    /// <summary>The environment of every install, build and run: the run's own global packages folder, no build servers.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; private set; } = new Dictionary<string, string?>();

    /// <summary>The dotnet host running these tests (the same SDK packs and installs).</summary>
    public static string DotnetHost => System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var repository = SourceCopy.RepositoryRoot();
        Version = XDocument.Load(Path.Combine(repository, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();
        var sources = Path.Combine(Root, "src");
        Directory.CreateDirectory(WorkFolder);
        SourceCopy.CopyTo(repository, sources);

        var packEnvironment = ChildEnvironment(globalPackages: null);
        var pack = await ChildProcess.RunAsync(DotnetHost,
            ["pack", Path.Combine(sources, "Usrv.sln"), "-c", "Release", "-o", PackageFolder], sources, packEnvironment, PackTimeout);
        PackOutput = pack.Output;
        if (pack.ExitCode != 0) throw new InvalidOperationException($"dotnet pack exited with {pack.ExitCode}:\n{pack.Output}");

        var machineSources = await MachineSourcesAsync(packEnvironment);
        await File.WriteAllTextAsync(Path.Combine(WorkFolder, "nuget.config"), NuGetConfig(PackageFolder, machineSources));
        Environment = ChildEnvironment(globalPackages: Path.Combine(Root, "nuget-packages"));
    }

    /// <summary>Installs usrv from the package folder into <see cref="ToolPath"/>, once; later calls get the same install.</summary>
    public Task<ChildProcess> InstallToolAsync() => _toolInstall.Value;

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="folder"/>, bounded in time; a non-zero exit throws with the output.</summary>
    public async Task<ChildProcess> Dotnet(IReadOnlyList<string> args, string folder)
    {
        var run = await ChildProcess.RunAsync(DotnetHost, args, folder, Environment, CommandTimeout);
        if (run.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {run.ExitCode}:\n{run.Output}");
        return run;
    }

    /// <summary>A new folder under <see cref="WorkFolder"/> for one project.</summary>
    public string NewProjectFolder(string name)
    {
        var folder = Path.Combine(WorkFolder, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(Root); attempt++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(500);
            }
        }
        return Task.CompletedTask;
    }

    private static Dictionary<string, string?> ChildEnvironment(string? globalPackages)
    {
        var environment = new Dictionary<string, string?>();
        // Variables that dotnet test sets for its own MSBuild must not steer the children's builds.
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)) environment[name] = null;
        }
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";
        if (globalPackages is not null) environment["NUGET_PACKAGES"] = globalPackages;
        // The tool's launcher finds the runtime through DOTNET_ROOT where dotnet is not in a default place.
        if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is null && Path.IsPathRooted(DotnetHost))
        {
            environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost);
        }
        return environment;
    }

    /// <summary>The enabled package sources of this machine, as <c>dotnet nuget list source</c> shows them (e.g. nuget.org).</summary>
    private async Task<IReadOnlyList<string>> MachineSourcesAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var list = await ChildProcess.RunAsync(DotnetHost, ["nuget", "list", "source", "--format", "short"], Root, environment, CommandTimeout);
        if (list.ExitCode != 0) throw new InvalidOperationException($"dotnet nuget list source exited with {list.ExitCode}:\n{list.Output}");
        return Regex.Matches(list.Output, @"^\s*E\w*\s+(\S+)\s*$", RegexOptions.Multiline).Select(match => match.Groups[1].Value).ToList();
    }

    private static string NuGetConfig(string packageFolder, IReadOnlyList<string> machineSources)
    {
        var lines = new List<string>
        {
            """<?xml version="1.0" encoding="utf-8"?>""",
            "<configuration>",
            "  <packageSources>",
            "    <clear />",
            $"""    <add key="usrv-local" value="{SecurityElement.Escape(packageFolder)}" />""",
        };
        lines.AddRange(machineSources.Select((source, i) => $"""    <add key="machine-{i + 1}" value="{SecurityElement.Escape(source)}" />"""));
        lines.AddRange(["  </packageSources>", "</configuration>", ""]);
        return string.Join('\n', lines);
    }
}
