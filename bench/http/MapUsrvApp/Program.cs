// The mapusrv column of bench/http/matrix.sh: an ASP.NET Core app (WebApplication.CreateSlimBuilder, logging off, no
// Server header, as bench/http/MinimalApi) that hands every path to usrv with app.MapUsrv(router), the router binding
// bench/http/MatrixBindings (GET /test, POST /order) with a random server key, so that usrv/2 sealed calls work
// (GET /puk answers the key). Plain HTTP/1.1 on 127.0.0.1:PORT; with TLS-PORT and a PEM file holding the certificate
// and its private key, also HTTPS with HTTP/1.1 and HTTP/2 (ALPN) on 127.0.0.1:TLS-PORT.
//
//   dotnet MapUsrvApp.dll [port=5104] [tls-port cert.pem]
//
// Stops on Ctrl+C or SIGTERM (the generic host's lifetime).
using Usrv.Crypto;
using Usrv.Host.AspNetCore;
using Usrv.Route;

var app = BenchKestrel.Build(args, 5104, out var urls);

using var identity = PrivateKey.Generate(); // the router does not dispose it
var router = new Router(new RouterOptions { Identity = identity });
router.BindType(typeof(MatrixBindings.Api));
app.MapUsrv(router);

Console.WriteLine($"MapUsrv app on {urls}, public key {router.PublicKey}");
app.Run();
