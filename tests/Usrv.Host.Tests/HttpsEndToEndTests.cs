using System.Net;
using System.Text.RegularExpressions;

namespace Usrv.Host.Tests;

/// <summary>
/// The real <c>usrv</c> program with <c>--server kestrel --cert PATH</c>, the certificate's password in the child's
/// <c>USRV_CERT_PASSWORD</c> (as the README shows), and the usage errors around <c>--cert</c>.
/// </summary>
public sealed class HttpsEndToEndTests : IDisposable
{
    private const string Password = "usrv e2e password";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    private readonly string _folder = Directory.CreateTempSubdirectory("usrv-e2e-cert-").FullName;

    private string WritePfx(out System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var path = Path.Combine(_folder, "server.pfx");
        var pfx = TestCertificate.CreatePfx(Password);
        File.WriteAllBytes(path, pfx);
        certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(pfx, Password);
        return path;
    }

    [Fact]
    public async Task Usrv_server_kestrel_cert_serves_HTTPS_with_HTTP2_and_stops_on_SIGTERM_with_exit_code_0()
    {
        var pfx = WritePfx(out var certificate);
        using var _ = certificate;
        int port = RouterHostFixture.FreePort(IPAddress.Loopback);
        var baseAddress = new Uri($"https://127.0.0.1:{port}/");
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot,
            new Dictionary<string, string?> { [KestrelHost.CertificatePasswordVariable] = Password },
            "--server", "kestrel", "--cert", pfx, "-p", port.ToString());

        using (var client = TestCertificate.Client(baseAddress, certificate, HttpVersion.Version20))
        {
            await usrv.WaitUntilServingAsync(client, StartBound);
            using var response = await client.GetAsync("/test?b=12&a=Paris");

            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal("""["Paris","12"]""", await response.Content.ReadAsStringAsync());
        }
        usrv.Terminate();
        int exitCode = await usrv.WaitForExitAsync(ExitBound);

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {string.Join('\n', usrv.Error)}");
        Assert.Contains(usrv.Output, line => line.Contains($"listening on https://127.0.0.1:{port}/"));
        Assert.Contains(usrv.Output, line =>
            line.Contains("Usrv.Access") && Regex.IsMatch(line, """127\.0\.0\.1:\d+ - "GET /test\?\.\.\. HTTP/2" 200$"""));
        Assert.DoesNotContain(Password, string.Join('\n', usrv.Output.Concat(usrv.Error)));
    }

    [Fact]
    public async Task A_wrong_USRV_CERT_PASSWORD_is_one_clear_line_and_a_non_zero_exit_code()
    {
        var pfx = WritePfx(out var certificate);
        certificate.Dispose();
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot,
            new Dictionary<string, string?> { [KestrelHost.CertificatePasswordVariable] = "not the password" },
            "--server", "kestrel", "--cert", pfx, "-p", RouterHostFixture.FreePort(IPAddress.Loopback).ToString());

        int exitCode = await usrv.WaitForExitAsync(StartBound);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(usrv.Error, l => l.Trim().Length > 0);
        Assert.StartsWith($"usrv: cannot use the certificate {pfx}", line);
        Assert.Contains("password", line);
        Assert.DoesNotContain("not the password", line);
    }

    [Fact]
    public async Task Cert_without_server_kestrel_is_a_usage_error()
    {
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "--cert", "x.pfx", "-p", RouterHostFixture.FreePort(IPAddress.Loopback).ToString());

        int exitCode = await usrv.WaitForExitAsync(StartBound);

        Assert.NotEqual(0, exitCode);
        var error = string.Join('\n', usrv.Error);
        Assert.Contains("--cert needs --server kestrel", error);
        Assert.DoesNotContain(usrv.Output, line => line.Contains("listening on"));
    }

    [Fact]
    public async Task Cert_with_server_listener_is_a_usage_error_too()
    {
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "--server", "listener", "--cert", "x.pfx");

        Assert.NotEqual(0, await usrv.WaitForExitAsync(StartBound));
        Assert.Contains("--cert needs --server kestrel", string.Join('\n', usrv.Error));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>The command line's <c>--server</c> and <c>--cert</c>, parsed in-process.</summary>
public sealed class ServerOptionTests
{
    private static System.CommandLine.ParseResult Parse(params string[] args) => UsrvCommand.Create().Parse(args);

    [Fact]
    public void The_built_in_listener_stays_the_default() => Assert.Equal("listener", Parse().GetValue<string>("--server"));

    [Fact]
    public void Server_kestrel_with_cert_parses()
    {
        var parse = Parse("--server", "kestrel", "--cert", "server.pfx");

        Assert.Empty(parse.Errors);
        Assert.Equal("kestrel", parse.GetValue<string>("--server"));
        Assert.Equal("server.pfx", parse.GetValue<string>("--cert"));
    }

    [Fact]
    public void An_unknown_server_is_a_usage_error_naming_the_choices()
    {
        var error = Assert.Single(Parse("--server", "nginx").Errors);

        Assert.Contains("nginx", error.Message);
        Assert.Contains("kestrel", error.Message);
    }

    [Fact]
    public void Cert_without_server_kestrel_is_a_parse_error()
    {
        var error = Assert.Single(Parse("--cert", "server.pfx").Errors);

        Assert.Contains("--cert needs --server kestrel", error.Message);
    }

    [Fact]
    public void Help_describes_server_and_cert_and_the_password_variable()
    {
        var output = new StringWriter();
        Parse("-h").Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Contains("--server", output.ToString());
        Assert.Contains("--cert", output.ToString());
        Assert.Contains("USRV_CERT_PASSWORD", output.ToString());
    }
}
