// The mapusrv column of bench/http/matrix.sh: an ASP.NET Core app (WebApplication.CreateSlimBuilder, logging off, no
// Server header, as bench/http/MinimalApi) that hands every path to usrv with app.MapUsrv(router), the router binding
// bench/http/MatrixBindings (GET /test, POST /order) with a random server key, so that usrv/2 sealed calls work
// (GET /puk answers the key). Plain HTTP/1.1 on 127.0.0.1:PORT; with TLS-PORT and a PEM file holding the certificate
// and its private key, also HTTPS with HTTP/1.1 and HTTP/2 (ALPN) on 127.0.0.1:TLS-PORT.
//
//   dotnet MapUsrvApp.dll [port=5104] [tls-port cert.pem]
//
// Stops on Ctrl+C or SIGTERM (the generic host's lifetime).
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Usrv.Crypto;
using Usrv.Host.AspNetCore;
using Usrv.Route;

int port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5104;
int? tlsPort = args.Length > 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : null;
using X509Certificate2? certificate = args.Length > 2 ? X509Certificate2.CreateFromPemFile(args[2]) : null;

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
var app = builder.Build();

using var identity = PrivateKey.Generate(); // the router does not dispose it
var router = new Router(new RouterOptions { Identity = identity });
router.BindType(typeof(MatrixBindings.Api));
app.MapUsrv(router);

Console.WriteLine($"MapUsrv app on http://127.0.0.1:{port}/" + (tlsPort is { } p ? $" and https://127.0.0.1:{p}/ (HTTP/2)" : "") +
    $", public key {router.PublicKey}");
app.Run();
