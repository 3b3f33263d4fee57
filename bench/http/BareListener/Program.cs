// The baseline of bench/http/run.sh: a bare HttpListener with the same number of concurrent GetContextAsync loops as
// usrv's default (-t 8), the same prefixes (the address and localhost), answering every request with the exact bytes
// usrv answers for GET /test?b=12&a=Paris: 200, Content-Type "application/json; charset=utf-8", body ["Paris","12"].
// No routing, no binding, no logging: the ratio usrv/bare is what usrv's own work costs.
//
//   dotnet BareListener.dll [port=5092] [loops=8]
//
// Stops on Ctrl+C or SIGTERM.
using System.Net;
using System.Runtime.InteropServices;

int port = args.Length > 0 ? int.Parse(args[0]) : 5092;
int loops = args.Length > 1 ? int.Parse(args[1]) : 8;

byte[] body = """["Paris","12"]"""u8.ToArray();
const string ContentType = "application/json; charset=utf-8";

var listener = new HttpListener { IgnoreWriteExceptions = true };
listener.Prefixes.Add($"http://127.0.0.1:{port}/");
listener.Prefixes.Add($"http://localhost:{port}/");
listener.Start();

var stopping = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
    listener.Close();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

async Task LoopAsync()
{
    while (!stopping.IsCancellationRequested)
    {
        HttpListenerContext context;
        try
        {
            context = await listener.GetContextAsync().ConfigureAwait(false);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (HttpListenerException)
        {
            continue;
        }
        var response = context.Response;
        try
        {
            response.StatusCode = 200;
            response.ContentType = ContentType;
            response.ContentLength64 = body.Length;
            if (context.Request.HttpMethod != "HEAD") await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception)
        {
            try { response.Abort(); } catch (Exception) { /* already closed */ }
        }
    }
}

var tasks = Enumerable.Range(0, loops).Select(_ => Task.Run(LoopAsync)).ToArray();
Console.WriteLine($"bare HttpListener on http://127.0.0.1:{port}/ with {loops} loops");
await Task.WhenAll(tasks);
return 0;
