// The baseline of bench/http/run-kestrel.sh and bench/http/matrix.sh: a plain ASP.NET Core Minimal API app answering
// GET /test?b=12&a=Paris with ["Paris","12"] (200, application/json; charset=utf-8), the answer of usrv's demo binding
// /test, and POST /order with a JSON order answering {"id":...,"count":...}, as bench/http/MatrixBindings does, on
// Kestrel plain HTTP/1.1 on 127.0.0.1. Logging off and no Server header, as usrv's KestrelHost: the same bytes on the
// wire, so that the ratio usrv/minimal is what usrv's adapter and pipeline cost against ASP.NET Core's own routing and
// binding. With TLS-PORT and a PEM file holding the certificate and its private key, also HTTPS with HTTP/1.1 and
// HTTP/2 (ALPN) on 127.0.0.1:TLS-PORT, as usrv --server kestrel --cert does.
//
//   dotnet MinimalApi.dll [port=5094] [tls-port cert.pem]
//
// Stops on Ctrl+C or SIGTERM (the generic host's lifetime).

var app = BenchKestrel.Build(args, 5094, out var urls);

app.MapGet("/test", (string? a, string? b) => new[] { a, b });
app.MapPost("/order", (Order order) => new { order.Id, order.Count });

Console.WriteLine($"Minimal API on {urls}");
app.Run();

/// <summary>The JSON body of POST /order (bench/http/MatrixBindings has the same record).</summary>
internal sealed record Order(string Id, int Count, string Note);
