using System.Text;

namespace Usrv.Crypto.Tests;

public sealed class SecretStoreTests : IDisposable
{
    private const int FastIterations = 1_000; // structural tests only; round trip and wrong PIN use the real 600,000
    private readonly string _folder = Directory.CreateTempSubdirectory("usrv-secret-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathFor(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Dump_then_Load_gives_the_secret_back()
    {
        var path = PathFor("server.key");
        const string secret = "correct horse battery staple — ünïcode ✓";

        SecretStore.Dump(path, secret, "1234");

        Assert.Equal(secret, SecretStore.Load(path, "1234"));
        Assert.DoesNotContain("horse", Encoding.UTF8.GetString(File.ReadAllBytes(path)));
        Assert.Equal((uint)SecretStore.DefaultIterations, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(File.ReadAllBytes(path).AsSpan(9, 4)));
    }

    [Fact]
    public void A_write_removes_temporary_files_a_killed_earlier_write_left_and_only_those()
    {
        var path = PathFor("server.keys");
        File.WriteAllText(PathFor(".server.keys.0123456789AB.tmp"), "half a store");
        File.WriteAllText(PathFor(".other.keys.0123456789AB.tmp"), "another store's");
        SecretStore.Dump(path, "a secret that is long enough", "1234", 1000);

        Assert.Equal("a secret that is long enough", SecretStore.Load(path, "1234"));
        Assert.False(File.Exists(PathFor(".server.keys.0123456789AB.tmp")));
        Assert.True(File.Exists(PathFor(".other.keys.0123456789AB.tmp")));
    }

    [Fact]
    public void A_wrong_PIN_is_a_clear_error_never_a_garbled_secret()
    {
        var path = PathFor("wrong-pin.key");
        SecretStore.Dump(path, "the secret", "1234");

        var error = Assert.Throws<SecretStoreException>(() => SecretStore.Load(path, "1235"));

        Assert.StartsWith("wrong PIN or corrupted file", error.Message);
    }

    [Fact]
    public void Dump_replaces_an_existing_file_and_leaves_no_temp_files()
    {
        var path = PathFor("replace.key");
        SecretStore.Dump(path, "first", "pin", FastIterations);
        SecretStore.Dump(path, "second", "pin", FastIterations);

        Assert.Equal("second", SecretStore.Load(path, "pin"));
        Assert.Equal(["replace.key"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Empty_secret_round_trips_and_salts_differ()
    {
        var a = PathFor("a.key");
        var b = PathFor("b.key");
        SecretStore.Dump(a, "", "pin", FastIterations);
        SecretStore.Dump(b, "", "pin", FastIterations);

        Assert.Equal("", SecretStore.Load(a, "pin"));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Theory]
    [InlineData(0)]    // magic
    [InlineData(8)]    // version
    [InlineData(15)]   // salt
    [InlineData(30)]   // iv
    [InlineData(45)]   // ciphertext
    [InlineData(-1)]   // tag
    public void A_corrupted_byte_anywhere_is_refused(int offset)
    {
        var path = PathFor("corrupt.key");
        SecretStore.Dump(path, "a secret of some length", "pin", FastIterations);
        var bytes = File.ReadAllBytes(path);
        bytes[offset >= 0 ? offset : bytes.Length + offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SecretStoreException>(() => SecretStore.Load(path, "pin"));

        var expected = offset switch { 0 => "not a usrv secret file", 8 => "version", _ => "wrong PIN or corrupted file" };
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_changed_iteration_count_is_detected()
    {
        var path = PathFor("iterations.key");
        SecretStore.Dump(path, "s", "pin", FastIterations);
        var bytes = File.ReadAllBytes(path);
        bytes[12] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        Assert.Contains("wrong PIN or corrupted file", Assert.Throws<SecretStoreException>(() => SecretStore.Load(path, "pin")).Message);

        bytes[9] = 0xFF; // billions of iterations: refused before any work
        File.WriteAllBytes(path, bytes);
        Assert.Contains("out of range", Assert.Throws<SecretStoreException>(() => SecretStore.Load(path, "pin")).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(56)]
    public void A_truncated_file_is_refused(int length)
    {
        var path = PathFor("short.key");
        SecretStore.Dump(path, "a secret", "pin", FastIterations);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..length]);

        var error = Assert.Throws<SecretStoreException>(() => SecretStore.Load(path, "pin"));

        Assert.Contains(length < 8 ? "not a usrv secret file" : "truncated", error.Message);
    }

    [Fact]
    public void Cutting_the_tail_of_the_ciphertext_is_refused()
    {
        var path = PathFor("tail.key");
        SecretStore.Dump(path, "a secret of some length", "pin", FastIterations);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        Assert.Contains("wrong PIN or corrupted file", Assert.Throws<SecretStoreException>(() => SecretStore.Load(path, "pin")).Message);
    }

    [Fact]
    public void A_missing_file_or_a_foreign_file_is_refused()
    {
        Assert.Contains("No secret file", Assert.Throws<SecretStoreException>(() => SecretStore.Load(PathFor("none.key"), "pin")).Message);

        var foreign = PathFor("foreign.txt");
        File.WriteAllText(foreign, "just some text that is long enough to pass the length checks, surely");
        Assert.Contains("not a usrv secret file", Assert.Throws<SecretStoreException>(() => SecretStore.Load(foreign, "pin")).Message);
    }

    [Fact]
    public void The_file_is_owner_only_on_unix_and_its_folder_is_created()
    {
        var path = Path.Combine(_folder, "nested", "owner-only.key");
        SecretStore.Dump(path, "s", "pin", FastIterations);

        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void DefaultPath_is_in_the_users_usrv_folder_and_takes_plain_names_only()
    {
        var path = SecretStore.DefaultPath("server.key");

        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".usrv", "server.key"), path);
        Assert.Throws<ArgumentException>(() => SecretStore.DefaultPath("../escape"));
        Assert.Throws<ArgumentException>(() => SecretStore.DefaultPath(".."));
        Assert.Throws<ArgumentException>(() => SecretStore.DefaultPath(""));
    }

    [Fact]
    public void Empty_PIN_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SecretStore.Dump(PathFor("x.key"), "s", ""));
        Assert.Throws<ArgumentException>(() => SecretStore.Load(PathFor("x.key"), ""));
    }
}
