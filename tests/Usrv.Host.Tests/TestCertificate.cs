using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Usrv.Host.Tests;

/// <summary>
/// Self-signed server certificates made in the tests (no file in the repository, nothing installed in a store), and
/// clients that trust exactly one of them.
/// </summary>
public static class TestCertificate
{
    /// <summary>
    /// A new self-signed ECDSA P-256 server certificate for <c>127.0.0.1</c>, <c>::1</c> and <c>localhost</c>
    /// (subject alternative names), with its private key, exported and re-imported as PKCS#12 as a <c>.pfx</c>
    /// file would be (so that TLS can use the key on every platform).
    /// </summary>
    public static X509Certificate2 Create() => X509CertificateLoader.LoadPkcs12(CreatePfx("pfx password"), "pfx password");

    /// <summary>The PKCS#12 bytes of a new certificate like <see cref="Create"/>'s, sealed with <paramref name="password"/>.</summary>
    public static byte[] CreatePfx(string? password)
    {
        using var certificate = CreateEphemeral();
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    /// <summary>A new certificate like <see cref="Create"/>'s as PEM text: the certificate, then its private key.</summary>
    public static string CreatePem()
    {
        using var certificate = CreateEphemeral();
        using var key = certificate.GetECDsaPrivateKey()!;
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private static X509Certificate2 CreateEphemeral()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=usrv test server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
    }

    /// <summary>
    /// A server-certificate check that accepts <paramref name="trusted"/> only, and only when its names match the host
    /// asked for: the one failure allowed is the chain's (a self-signed certificate has no trusted root).
    /// </summary>
    public static bool TrustsOnly(X509Certificate2 trusted, X509Certificate? presented, SslPolicyErrors errors) =>
        presented is not null
        && presented.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData)
        && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None;

    /// <summary>
    /// An <see cref="HttpClient"/> for <paramref name="baseAddress"/> that trusts <paramref name="trusted"/> only
    /// (<see cref="HttpClientHandler.ServerCertificateCustomValidationCallback"/>) and asks for HTTP <paramref name="version"/> exactly.
    /// </summary>
    public static HttpClient Client(Uri baseAddress, X509Certificate2 trusted, Version version) =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, errors) => TrustsOnly(trusted, presented, errors) })
        {
            BaseAddress = baseAddress,
            Timeout = UsrvHostFixture.RequestTimeout,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
}

/// <summary>
/// The Kestrel host with HTTPS (<see cref="KestrelHost"/> given a <see cref="TestCertificate"/>): HTTP/1.1 and HTTP/2
/// over TLS on a free loopback port. Its <see cref="Client"/> trusts that certificate only and speaks HTTP/2.
/// </summary>
public sealed class KestrelHttpsHostFixture : RouterHostFixture, IRouterHostFixture<KestrelHttpsHostFixture>
{
    private HttpClient? _client;

    /// <summary>The xunit class-fixture constructor: usrv's demo bindings on 127.0.0.1, with a new certificate.</summary>
    public KestrelHttpsHostFixture() : this(new Settings()) { }

    private KestrelHttpsHostFixture(Settings settings) : base(settings) { }

    /// <summary>The server's certificate (made for this fixture).</summary>
    public X509Certificate2 Certificate { get; } = TestCertificate.Create();

    /// <summary>An HTTP/2 client (<see cref="HttpVersionPolicy.RequestVersionExact"/>) that trusts <see cref="Certificate"/> only.</summary>
    public new HttpClient Client => _client ??= CreateClient(HttpVersion.Version20);

    /// <summary>A new client that trusts <see cref="Certificate"/> only and asks for HTTP <paramref name="version"/> exactly.</summary>
    public HttpClient CreateClient(Version version) => TestCertificate.Client(BaseAddress, Certificate, version);

    /// <summary>Starts a host configured by <paramref name="configure"/>; dispose it at the end of the test.</summary>
    public static Task<KestrelHttpsHostFixture> StartAsync(Action<Settings>? configure = null) =>
        StartAsync(configure, settings => new KestrelHttpsHostFixture(settings));

    /// <summary>Starts a host, runs <paramref name="test"/> against it and stops it (see <see cref="RouterHostFixture"/>).</summary>
    public static Task RunAsync(Action<Settings>? configure, Func<KestrelHttpsHostFixture, Task> test) =>
        RunAsync(configure, settings => new KestrelHttpsHostFixture(settings), test);

    /// <inheritdoc/>
    protected override IUsrvHost CreateHost(Route.Router router, UsrvHostOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggers) =>
        new KestrelHost(router, options, Certificate, loggers);

    /// <inheritdoc/>
    protected override async Task StopHostAsync()
    {
        _client?.Dispose();
        await base.StopHostAsync();
        Certificate.Dispose();
    }
}
