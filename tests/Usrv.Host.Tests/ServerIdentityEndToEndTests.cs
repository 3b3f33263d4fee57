using System.Diagnostics;
using System.Net;

namespace Usrv.Host.Tests;

/// <summary>
/// The README's server-identity commands, run as written against the real <c>usrv</c> program: a secret from a file,
/// from <c>USRV_SECRET</c>, or from the secret store (<c>dump-secret</c>, then <c>--secret-store</c> with the PIN on stdin).
/// </summary>
public sealed class ServerIdentityEndToEndTests : IDisposable
{
    // usrv 0.4.3's keys_from_secret vector ("usrv test secret"), as the 33-byte compressed key usrv for .NET prints.
    private const string Secret = "usrv test secret";
    private const string ExpectedPublicKey = "AyoWuYYs9nBZ9hGgPSbFRMi2V3ol3GTxqm5brz7EqX9G";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("usrv-identity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = UsrvProcess.RepositoryRoot,
        };
        start.ArgumentList.Add(UsrvProcess.UsrvDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("USRV_SECRET");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start)!;
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return process;
    }

    // SIGTERM, so that usrv stops gracefully and writes its queued log lines.
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows() || kill(process.Id, 15) != 0) process.Kill();
    }

    private static Task<string> PukOf(Process usrv, int port) => GetThenStopAsync(usrv, port, "/puk");

    // Waits until usrv answers GET path, returns the body, and stops usrv.
    private static async Task<string> GetThenStopAsync(Process usrv, int port, string path)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + Bound;
        try
        {
            while (true)
            {
                if (usrv.HasExited) Assert.Fail("usrv ended before serving: " + await usrv.StandardError.ReadToEndAsync());
                try
                {
                    return await client.GetStringAsync(path);
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
        }
        finally
        {
            if (!usrv.HasExited) Terminate(usrv);
            await usrv.WaitForExitAsync().WaitAsync(Bound);
        }
    }

    [Fact]
    public async Task A_secret_file_gives_the_same_identity_as_usrv()
    {
        var file = Path.Combine(_folder, "server.secret");
        await File.WriteAllTextAsync(file, Secret + "\n");
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        using var usrv = Start(["-p", port.ToString(), "--secret-file", file]);

        Assert.Equal($"\"{ExpectedPublicKey}\"", await PukOf(usrv, port));
        var output = await usrv.StandardOutput.ReadToEndAsync();
        Assert.Contains($"server public key {ExpectedPublicKey} from secret file", output);
        Assert.DoesNotContain(Secret, output);
    }

    [Fact]
    public async Task The_USRV_SECRET_variable_gives_the_same_identity()
    {
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        using var usrv = Start(["-p", port.ToString()], new Dictionary<string, string> { ["USRV_SECRET"] = Secret });
        Assert.Equal($"\"{ExpectedPublicKey}\"", await PukOf(usrv, port));
    }

    [Fact]
    public async Task Dump_secret_then_secret_store_with_the_pin_gives_the_same_identity()
    {
        var store = Path.Combine(_folder, "server.secret");
        using (var dump = Start(["dump-secret", "--store", store], stdin: $"{Secret}\n1234\n1234\n"))
        {
            await dump.WaitForExitAsync().WaitAsync(Bound);
            var output = await dump.StandardOutput.ReadToEndAsync();
            Assert.True(dump.ExitCode == 0, await dump.StandardError.ReadToEndAsync());
            Assert.Contains(ExpectedPublicKey, output);
            Assert.DoesNotContain(Secret, output);
        }
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));

        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        using var usrv = Start(["-p", port.ToString(), "--secret-store", store], stdin: "1234\n");
        Assert.Equal($"\"{ExpectedPublicKey}\"", await PukOf(usrv, port));
    }

    [Fact]
    public async Task A_wrong_pin_is_a_clear_error_and_a_non_zero_exit_code()
    {
        var store = Path.Combine(_folder, "server.secret");
        using (var dump = Start(["dump-secret", "--store", store], stdin: $"{Secret}\n1234\n1234\n"))
        {
            await dump.WaitForExitAsync().WaitAsync(Bound);
        }
        using var usrv = Start(["-p", ListenerHostFixture.FreePort(IPAddress.Loopback).ToString(), "--secret-store", store], stdin: "9999\n");
        await usrv.WaitForExitAsync().WaitAsync(Bound);
        Assert.Equal(UsrvCommand.IdentityError, usrv.ExitCode);
        Assert.Contains("wrong PIN", await usrv.StandardError.ReadToEndAsync());
    }

    [Fact]
    public async Task Two_different_pins_when_dumping_are_refused()
    {
        using var dump = Start(["dump-secret", "--store", Path.Combine(_folder, "x")], stdin: $"{Secret}\n1234\n4321\n");
        await dump.WaitForExitAsync().WaitAsync(Bound);
        Assert.NotEqual(0, dump.ExitCode);
        Assert.Contains("the two PINs differ", await dump.StandardError.ReadToEndAsync());
        Assert.False(File.Exists(Path.Combine(_folder, "x")));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string stdin)
    {
        using var process = Start(args, stdin: stdin);
        await process.WaitForExitAsync().WaitAsync(Bound);
        return (process.ExitCode, await process.StandardOutput.ReadToEndAsync(), await process.StandardError.ReadToEndAsync());
    }

    private static async Task<System.Text.Json.JsonElement[]> KeySetOf(Process usrv, int port)
    {
        using var set = System.Text.Json.JsonDocument.Parse(await GetThenStopAsync(usrv, port, "/.well-known/usrv-keys"));
        return [.. set.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.Clone())];
    }

    [Fact]
    public async Task Keygen_rotate_keys_and_secret_store_serve_a_key_ring()
    {
        var store = Path.Combine(_folder, "server.keys");
        var keygen = await RunAsync(["keygen", "--store", store], "1234\n1234\n");
        Assert.True(keygen.Code == 0, keygen.Error);
        var first = keygen.Output.Split("current key ")[1].Split(' ')[0];

        // A store that exists is never overwritten without --force.
        var again = await RunAsync(["keygen", "--store", store], "1234\n1234\n");
        Assert.Equal(2, again.Code);
        Assert.Contains("--force", again.Error);

        var rotate = await RunAsync(["rotate", "--store", store, "--retire-after", "7d"], "1234\n");
        Assert.True(rotate.Code == 0, rotate.Error);
        var second = rotate.Output.Split("current key ")[1].Split(';')[0];
        Assert.NotEqual(first, second);

        var keys = await RunAsync(["keys", "--store", store], "1234\n");
        Assert.Equal(0, keys.Code);
        var lines = keys.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"current   {second}  kid {Usrv.Crypto.PublicKey.Parse(second).JwkThumbprint()}", lines[0]);
        Assert.StartsWith($"previous  {first}", lines[1]);
        Assert.Contains("retire at", lines[1]);

        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        using var usrv = Start(["-p", port.ToString(), "--secret-store", store], stdin: "1234\n");
        var set = await KeySetOf(usrv, port);
        Assert.Equal(Usrv.Crypto.PublicKey.Parse(second).JwkThumbprint(), set[0].GetProperty("kid").GetString());
        Assert.Equal("current", set[0].GetProperty("usrv_status").GetString());
        Assert.Equal(Usrv.Crypto.PublicKey.Parse(first).JwkThumbprint(), set[1].GetProperty("kid").GetString());
        Assert.Equal("previous", set[1].GetProperty("usrv_status").GetString());
    }

    [Fact]
    public async Task Keygen_with_force_replaces_the_store_and_a_bad_duration_is_refused()
    {
        var store = Path.Combine(_folder, "server.keys");
        Assert.Equal(0, (await RunAsync(["keygen", "--store", store], "1234\n1234\n")).Code);
        var forced = await RunAsync(["keygen", "--store", store, "--force"], "5678\n5678\n");
        Assert.True(forced.Code == 0, forced.Error);
        Assert.Equal(UsrvCommand.IdentityError, (await RunAsync(["keys", "--store", store], "1234\n")).Code); // the old PIN no longer opens it
        var bad = await RunAsync(["rotate", "--store", store, "--retire-after", "soon"], "5678\n");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--retire-after", bad.Error);
    }

    [Theory]
    [InlineData("tea")]
    [InlineData("passwordpassword")]
    public async Task A_weak_secret_is_refused_pointing_to_keygen_unless_allowed(string secret)
    {
        var env = new Dictionary<string, string> { ["USRV_SECRET"] = secret };
        var port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        using (var refused = Start(["-p", port.ToString()], env))
        {
            await refused.WaitForExitAsync().WaitAsync(Bound);
            Assert.Equal(UsrvCommand.IdentityError, refused.ExitCode);
            var error = await refused.StandardError.ReadToEndAsync();
            Assert.Contains("usrv keygen", error);
            Assert.DoesNotContain(secret, error);
        }

        using var allowed = Start(["-p", port.ToString(), "--allow-weak-secret"], env);
        using var key = Usrv.Crypto.PrivateKey.FromSecret(secret);
        Assert.Equal($"\"{key.PublicKey}\"", await PukOf(allowed, port));
    }

    [Fact]
    public async Task A_rotate_killed_at_any_moment_leaves_a_store_that_opens_with_its_pin()
    {
        var store = Path.Combine(_folder, "server.keys");
        Assert.Equal(0, (await RunAsync(["keygen", "--store", store], "1234\n1234\n")).Code);
        var random = new Random(20261202);
        for (var i = 0; i < 8; i++)
        {
            using var rotate = Start(["rotate", "--store", store], stdin: "1234\n");
            await Task.Delay(random.Next(0, 600));
            if (!rotate.HasExited) rotate.Kill();
            await rotate.WaitForExitAsync().WaitAsync(Bound);

            var keys = await RunAsync(["keys", "--store", store], "1234\n");
            Assert.True(keys.Code == 0, $"after a kill the store must still open: {keys.Error}");
            Assert.StartsWith("current", keys.Output);
        }

        Assert.Empty(Directory.GetFiles(_folder, ".server.keys.*.tmp")); // the next use removed any leftover
    }
}
