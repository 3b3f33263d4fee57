// Compiled into both bench/http/MinimalApi and bench/http/MapUsrvApp, so that the two ASP.NET Core columns of
// bench/http/matrix.sh run on exactly the same Kestrel: slim builder, logging off, no Server header, plain HTTP/1.1 on
// 127.0.0.1:PORT and, with TLS-PORT and a PEM file holding the certificate and its key, HTTPS with HTTP/1.1 and HTTP/2
// (ALPN) on 127.0.0.1:TLS-PORT.
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

/// <summary>The Kestrel set-up the bench apps share.</summary>
internal static class BenchKestrel
{
    /// <summary>The app for <c>[port=defaultPort] [tls-port cert.pem]</c>, not started; <paramref name="urls"/> says where it listens.</summary>
    public static WebApplication Build(string[] args, int defaultPort, out string urls)
    {
        int port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : defaultPort;
        int? tlsPort = args.Length > 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : null;
        var certificate = args.Length > 2 ? X509Certificate2.CreateFromPemFile(args[2]) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
            if (tlsPort is { } secure)
            {
                kestrel.Listen(IPAddress.Loopback, secure, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate!);
                });
            }
        });
        urls = $"http://127.0.0.1:{port}/" + (tlsPort is { } p ? $" and https://127.0.0.1:{p}/ (HTTP/2)" : "");
        return builder.Build();
    }
}
