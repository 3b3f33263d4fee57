using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Usrv.Host.Tests;

/// <summary>
/// Tests that set process environment variables: xunit runs them alone, after every parallel collection, so that no
/// other test sees the variables they set.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CertificatePasswordEnvironmentCollection
{
    public const string Name = "USRV_CERT_PASSWORD environment variable";
}

/// <summary>
/// <see cref="KestrelHost.LoadCertificate"/>, what <c>--cert PATH</c> reads: a PKCS#12 file with the password of
/// <c>USRV_CERT_PASSWORD</c> (never given on the command line), or PEM with the key in the same file.
/// </summary>
[Collection(CertificatePasswordEnvironmentCollection.Name)]
public sealed class CertificateLoadingTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly string _folder = Directory.CreateTempSubdirectory("usrv-cert-").FullName;

    /// <summary>Runs <paramref name="action"/> with <c>USRV_CERT_PASSWORD</c> set to <paramref name="password"/> (unset when <c>null</c>), then restores it.</summary>
    private static T WithPassword<T>(string? password, Func<T> action)
    {
        var saved = Environment.GetEnvironmentVariable(KestrelHost.CertificatePasswordVariable);
        Environment.SetEnvironmentVariable(KestrelHost.CertificatePasswordVariable, password);
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(KestrelHost.CertificatePasswordVariable, saved);
        }
    }

    private string WritePfx(string? password, string name = "server.pfx")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, TestCertificate.CreatePfx(password));
        return path;
    }

    [Fact]
    public void The_variable_is_USRV_CERT_PASSWORD() => Assert.Equal("USRV_CERT_PASSWORD", KestrelHost.CertificatePasswordVariable);

    [Fact]
    public void A_pfx_loads_with_the_password_of_USRV_CERT_PASSWORD_and_its_private_key()
    {
        var path = WritePfx(Password);
        using var expected = X509CertificateLoader.LoadPkcs12FromFile(path, Password);

        using var certificate = WithPassword(Password, () => KestrelHost.LoadCertificate(path));

        Assert.Equal(expected.Thumbprint, certificate.Thumbprint);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=usrv test server", certificate.Subject);
    }

    [Fact]
    public void The_variable_is_read_when_loading_not_cached()
    {
        var path = WritePfx(Password);

        using var first = WithPassword(Password, () => KestrelHost.LoadCertificate(path));
        Assert.ThrowsAny<CryptographicException>(() => WithPassword("stale", () => KestrelHost.LoadCertificate(path)));
        using var again = WithPassword(Password, () => KestrelHost.LoadCertificate(path));

        Assert.Equal(first.Thumbprint, again.Thumbprint);
    }

    [Fact]
    public void A_wrong_password_fails_with_a_message_about_the_password()
    {
        var path = WritePfx(Password);

        var error = Assert.ThrowsAny<CryptographicException>(() => WithPassword("wrong", () => KestrelHost.LoadCertificate(path)));

        Assert.Contains("password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_password_protected_pfx_without_USRV_CERT_PASSWORD_fails_with_a_message_about_the_password()
    {
        var path = WritePfx(Password);

        var error = Assert.ThrowsAny<CryptographicException>(() => WithPassword(null, () => KestrelHost.LoadCertificate(path)));

        Assert.Contains("password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_pfx_without_a_password_loads_without_USRV_CERT_PASSWORD()
    {
        var path = WritePfx(null);

        using var certificate = WithPassword(null, () => KestrelHost.LoadCertificate(path));

        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void The_environment_is_restored_after_each_test()
    {
        var before = Environment.GetEnvironmentVariable(KestrelHost.CertificatePasswordVariable);

        WithPassword("temporary", () => Environment.GetEnvironmentVariable(KestrelHost.CertificatePasswordVariable));

        Assert.Equal(before, Environment.GetEnvironmentVariable(KestrelHost.CertificatePasswordVariable));
    }

    [Fact]
    public void A_pem_file_with_the_certificate_and_its_key_loads_without_a_password()
    {
        var path = Path.Combine(_folder, "server.pem");
        File.WriteAllText(path, TestCertificate.CreatePem());

        using var certificate = WithPassword(null, () => KestrelHost.LoadCertificate(path));

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=usrv test server", certificate.Subject);
    }

    [Fact]
    public void A_missing_file_is_a_FileNotFoundException_naming_it()
    {
        var path = Path.Combine(_folder, "missing.pfx");

        var error = Assert.Throws<FileNotFoundException>(() => KestrelHost.LoadCertificate(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_certificate_is_a_CryptographicException()
    {
        var path = Path.Combine(_folder, "not-a-certificate.pfx");
        File.WriteAllText(path, "this is not PKCS#12");

        Assert.ThrowsAny<CryptographicException>(() => WithPassword(Password, () => KestrelHost.LoadCertificate(path)));
    }

    [Fact]
    public async Task A_certificate_loaded_from_a_pfx_serves_HTTPS()
    {
        var path = WritePfx(Password);
        using var certificate = WithPassword(Password, () => KestrelHost.LoadCertificate(path));
        var options = new UsrvHostOptions { Port = RouterHostFixture.FreePort(System.Net.IPAddress.Loopback) };
        await using var host = new KestrelHost(new Route.Router().BindType(typeof(DemoBindings)), options, certificate);
        await host.StartAsync();
        using var client = TestCertificate.Client(host.BaseAddress, certificate, System.Net.HttpVersion.Version20);

        using var response = await client.GetAsync("/test?b=12&a=Paris");

        Assert.Equal("https", host.BaseAddress.Scheme);
        Assert.Equal(System.Net.HttpVersion.Version20, response.Version);
        Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
