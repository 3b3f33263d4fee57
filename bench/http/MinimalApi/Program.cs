// The baseline of bench/http/run-kestrel.sh: a plain ASP.NET Core Minimal API app answering GET /test?b=12&a=Paris
// with ["Paris","12"] (200, application/json; charset=utf-8), the answer of usrv's demo binding /test, on Kestrel
// plain HTTP/1.1 on 127.0.0.1. Logging off and no Server header, as usrv's KestrelHost: the same bytes on the wire,
// so that the ratio usrv/minimal is what usrv's adapter and pipeline cost against ASP.NET Core's own routing and binding.
//
//   dotnet MinimalApi.dll [port=5094]
//
// Stops on Ctrl+C or SIGTERM (the generic host's lifetime).
using System.Globalization;
using System.Net;

int port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5094;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port);
});
var app = builder.Build();

app.MapGet("/test", (string? a, string? b) => new[] { a, b });

Console.WriteLine($"Minimal API on http://127.0.0.1:{port}/");
app.Run();
