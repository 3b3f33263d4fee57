using System.Text.Json;

namespace Usrv.Crypto.Tests;

/// <summary>Finds and reads the shared test vectors: the project's copy first, else shared/vectors up the tree.</summary>
internal static class Vectors
{
    public const string Bip340Csv = "bip340-test-vectors.csv";
    public const string UsrvWireJson = "usrv-0.4.3-wire.json";
    public const string Usrv2WireJson = "usrv2-wire.json";

    public static string PathOf(string fileName)
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "vectors", fileName);
        if (File.Exists(copied))
        {
            return copied;
        }

        string? shared = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var projectCopy = Path.Combine(dir.FullName, "tests", "Usrv.Crypto.Tests", "vectors", fileName);
            if (File.Exists(projectCopy))
            {
                return projectCopy;
            }

            var candidate = Path.Combine(dir.FullName, "shared", "vectors", fileName);
            if (shared is null && File.Exists(candidate))
            {
                shared = candidate;
            }
        }

        return shared ?? throw new FileNotFoundException($"Test vector file {fileName} not found near {AppContext.BaseDirectory}.");
    }

    /// <summary>The BIP340 CSV rows (header skipped): index, secret key, public key, aux_rand, message, signature, result, comment.</summary>
    public static IEnumerable<string[]> Bip340Rows() =>
        File.ReadLines(PathOf(Bip340Csv))
            .Skip(1)
            .Where(line => line.Trim().Length > 0)
            .Select(line => line.TrimEnd('\r').Split(',', 8));

    public static JsonElement UsrvWire(string section)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(UsrvWireJson)));
        return document.RootElement.GetProperty(section).Clone();
    }

    /// <summary>The whole of usrv2-wire.json: fixed keys and three calls with every byte of their answers.</summary>
    public static JsonElement Usrv2Wire()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(Usrv2WireJson)));
        return document.RootElement.Clone();
    }
}
